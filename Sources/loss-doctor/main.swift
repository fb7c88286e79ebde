import LossDoctor
for ref in ReferenceLosses.all {
    let r = LossDoctor.check(ref.function)
    let ok = r.codes == ref.expected.sorted() ? "OK " : "BAD"
    print(ok, ref.name, r.codes, "expected", ref.expected)
    if ok == "BAD" || CommandLine.arguments.count > 1 { for f in r.findings { print("   ", f.code, f.message); for n in f.notes { print("       ", n) } } }
}
