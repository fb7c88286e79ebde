/// Segmentation losses of libraries, as built-in callables with their real defaults and options: a user
/// file that imports and configures them (`smp.losses.DiceLoss(mode="binary")`) is analysed, and
/// `loss-doctor check --loss 'monai.DiceLoss(softmax=True)'` checks a configuration directly. One file
/// per library; each entry cites the source file and version it follows.
enum LibraryLosses {
    static let functions: [String: BuiltinFunction] = [:]
}
