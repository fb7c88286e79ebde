/// Segmentation losses of libraries, as built-in callables with their real defaults and options: a user
/// file that imports and configures them (`smp.losses.DiceLoss(mode="binary")`) is analysed, and
/// `loss-doctor check --loss 'monai.DiceLoss(softmax=True)'` checks a configuration directly. One file
/// per library; each cites the source file and version it follows. Keras's own (`keras.losses.Dice`,
/// `Tversky`, `BinaryFocalCrossentropy`) live with the other Keras losses in `TensorFlowAPI.swift`.
enum LibraryLosses {
    /// Every import path of every modelled library loss.
    static let functions: [String: BuiltinFunction] = {
        var table: [String: BuiltinFunction] = [:]
        for (name, function) in SegmentationModelsPyTorch.losses {
            table["segmentation_models_pytorch.losses.\(name)"] = function
            if let module = SegmentationModelsPyTorch.modules[name] { table["segmentation_models_pytorch.losses.\(module).\(name)"] = function }
        }
        for (name, function) in SegmentationModelsPyTorch.toolbeltLosses {
            table["pytorch_toolbelt.losses.\(name)"] = function
            if let module = SegmentationModelsPyTorch.modules[name] { table["pytorch_toolbelt.losses.\(module).\(name)"] = function }
        }
        for (name, function) in MONAI.losses {
            table["monai.losses.\(name)"] = function
            if let module = MONAI.modules[name] { table["monai.losses.\(module).\(name)"] = function }
        }
        table.merge(Kornia.losses) { first, _ in first }
        table["torchvision.ops.sigmoid_focal_loss"] = Torchvision.sigmoidFocalLoss
        table["torchvision.ops.focal_loss.sigmoid_focal_loss"] = Torchvision.sigmoidFocalLoss
        return table
    }()

    /// PyTorch and the modelled libraries built on it: a file importing one takes NCHW tensors.
    static let pyTorchPackages: Set<String> = ["torch", "torchvision", "segmentation_models_pytorch", "pytorch_toolbelt",
                                               "monai", "kornia"]

    /// Short library names accepted by `--loss` (`monai.DiceLoss(...)`), with the import each needs and
    /// the attribute path the call goes through.
    static let shortNames: [(prefix: String, importLine: String, path: String)] = [
        ("smp.", "import segmentation_models_pytorch as smp", "smp.losses."),
        ("segmentation_models_pytorch.", "import segmentation_models_pytorch", "segmentation_models_pytorch.losses."),
        ("monai.", "import monai", "monai.losses."),
        ("pytorch_toolbelt.", "import pytorch_toolbelt", "pytorch_toolbelt.losses."),
        ("torchvision.", "import torchvision", "torchvision.ops."),
        ("kornia.", "import kornia", "kornia.losses."),
        ("keras.", "import keras", "keras.losses."),
    ]

    /// A Python module checking one library configuration, for `--loss 'monai.DiceLoss(softmax=True)'`:
    /// a function applying the configured loss to (prediction, target). nil when the text does not name
    /// a modelled library loss (`monai.Unknown()`), so that the caller reports it.
    static func source(forLossExpression expression: String) -> (functionName: String, source: String)? {
        let text = expression.trimmingCharacters()
        guard !text.contains("\n") else { return nil }  // one call, not a module of its own
        let callee = String(text.prefix { $0 != "(" })
        guard let entry = shortNames.first(where: { callee.hasPrefix($0.prefix) }) else { return nil }
        var name = String(callee.dropFirst(entry.prefix.count))
        for infix in ["losses.", "ops."] where name.hasPrefix(infix) { name = String(name.dropFirst(infix.count)) }
        guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else { return nil }
        let path = entry.path + name
        let canonical = BuiltinRegistry.canonical(path.replacingPrefix("smp.", with: "segmentation_models_pytorch."))
        guard BuiltinRegistry.functions[canonical] != nil else { return nil }
        let arguments = text.dropFirst(callee.count)
        let isFunction = name.first?.isLowercase ?? false  // `sigmoid_focal_loss`: called with the tensors directly
        // Keras losses take (y_true, y_pred); PyTorch libraries (prediction, target).
        let operands = entry.prefix == "keras." ? "y_true, y_pred" : "y_pred, y_true"
        let call = isFunction ? "\(path)(\(operands)\(arguments.count > 2 ? ", " + arguments.dropFirst().dropLast() : ""))"
            : "\(path)\(arguments.isEmpty ? "()" : String(arguments))(\(operands))"
        let functionName = "library_loss"
        let source = """
            \(entry.importLine)


            def \(functionName)(\(operands)):
                return \(call)

            """
        return (functionName, source)
    }
}

extension LibraryLosses {
    /// Whether a `--loss` value names a library loss rather than a built-in: a call, or a library's prefix.
    static func isLossExpression(_ text: String) -> Bool {
        text.contains("(") || shortNames.contains { text.hasPrefix($0.prefix) }
    }

    /// The modelled library losses as `--loss` accepts them (`monai.DiceLoss`, `smp.FocalLoss`), for "did you mean".
    static let expressionNames: [String] = {
        var names: Set<String> = []
        for entry in shortNames where entry.prefix != "segmentation_models_pytorch." {
            let path = BuiltinRegistry.canonical(entry.path.replacingPrefix("smp.", with: "segmentation_models_pytorch."))
            for key in BuiltinRegistry.functions.keys where key.hasPrefix(path) {
                let name = key.dropFirst(path.count)
                if !name.contains(".") { names.insert(entry.prefix + name) }
            }
        }
        return names.sorted()
    }()
}

extension String {
    fileprivate func replacingPrefix(_ prefix: String, with replacement: String) -> String {
        hasPrefix(prefix) ? replacement + dropFirst(prefix.count) : self
    }
}
