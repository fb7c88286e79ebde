/// Python's `enum`: a class deriving from `enum.Enum` (IntEnum, StrEnum, Flag) turns its plain class
/// attributes into members, instances of the class with a `name` and a `value`, made once, in definition
/// order. Library losses configure themselves through them: MONAI's `LossReduction(reduction).value`,
/// `look_up_option(mode, SomeEnum)` (measured on Python 3.11: `LossReduction("mean") is LossReduction.MEAN`,
/// `LossReduction.MEAN == "mean"` for a `(str, Enum)`, `list(LossReduction)` in definition order,
/// `LossReduction("max")` raises `ValueError: 'max' is not a valid LossReduction`).
extension ClassValue {
    static let enumBases: Set<String> = ["enum.Enum", "enum.IntEnum", "enum.StrEnum", "enum.Flag", "enum.IntFlag"]

    /// Whether one of `bases` makes a class an enum: a base from `enum`, or an enum class of the user's.
    static func derivesFromEnum(_ bases: [Value]) -> Bool {
        bases.contains { base in
            switch base {
            case .module(let path): enumBases.contains(path)
            case .userClass(let cls): cls.enumMembers != nil
            default: false
            }
        }
    }

    /// Whether members compare and hash as their values: a `str` or `int` mixin (`class E(str, Enum)`,
    /// `IntEnum`, `StrEnum`), here or in a base.
    var membersEqualTheirValues: Bool {
        bases.contains { base in
            switch base {
            case .builtin(let b): b.name == "builtins.str" || b.name == "builtins.int"
            case .module(let path): path != "enum.Enum" && path != "enum.Flag" && Self.enumBases.contains(path)
            case .userClass(let cls): cls.membersEqualTheirValues
            default: false
            }
        }
    }
}

extension Value {
    /// The value of an enum member whose class mixes in `str` or `int` (what it equals and hashes as).
    var mixedInEnumValue: Value? {
        guard case .instance(let member) = self, member.cls.enumMembers != nil, member.cls.membersEqualTheirValues else { return nil }
        return member.attributes["_value_"]
    }

    /// `Cls.NAME` of an enum member, nil for anything else.
    var enumMemberName: String? {
        guard case .instance(let member) = self, member.cls.enumMembers != nil, case .string(let name)? = member.attributes["_name_"] else { return nil }
        return "\(member.cls.name).\(name)"
    }
}

extension Interpreter {
    /// Turns the plain attributes of a new enum class into its members (an attribute equal to an earlier
    /// one is an alias of that member, as in Python). Methods and `_private` names stay attributes.
    func makeEnumMembers(of cls: ClassValue) throws {
        var members: [InstanceValue] = []
        for statement in cls.definition.body {
            let target: Expr
            switch statement.kind {
            case .assign(let targets, _) where targets.count == 1: target = targets[0]
            case .annotatedAssign(let annotated, _, .some): target = annotated
            default: continue
            }
            guard case .name(let name) = target.kind, !name.hasPrefix("_"), let value = cls.attributes[name] else { continue }
            switch value {
            case .function, .userClass, .builtin, .classBoundMethod: continue
            default: break
            }
            if let alias = try members.first(where: { try equal($0.attributes["_value_"] ?? .none, value, at: site(statement.location)) }) {
                cls.attributes[name] = .instance(alias)
                continue
            }
            let member = InstanceValue(cls: cls)
            member.attributes = ["_value_": value, "value": value, "_name_": .string(name), "name": .string(name)]
            members.append(member)
            cls.attributes[name] = .instance(member)
        }
        cls.enumMembers = members
    }

    /// `Cls(value)` of an enum class: the member of that value (or the member itself).
    func enumMember(of cls: ClassValue, _ positional: [Value], _ keywords: [(name: String, value: Value)], site: SourceSite) throws -> Value {
        guard positional.count == 1, keywords.isEmpty, let members = cls.enumMembers else {
            throw InterpreterError(.pythonError, "TypeError: \(cls.name)() takes one value: the member's value", at: site)
        }
        let wanted = positional[0]
        if case .instance(let instance) = wanted, instance.cls.mro.contains(where: { $0 === cls }) { return wanted }
        for member in members where try equal(member.attributes["_value_"] ?? .none, wanted, at: site) {
            return .instance(member)
        }
        let shown = if case .string(let text) = wanted { "'\(text)'" } else { display(wanted) }
        throw InterpreterError(.pythonError, "ValueError: \(shown) is not a valid \(cls.name)", at: site)
    }
}
