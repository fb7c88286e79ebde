/// Values for the required constructor arguments of a loss class, so that `TverskyLoss(mode: str)` is
/// checked as `TverskyLoss(mode="binary")` instead of skipped. Each value is the neutral or documented
/// choice for a parameter of that name: the one under which the loss is the plain loss it extends
/// (Tversky with alpha = beta = 0.5 is Dice, focal weighting with gamma = 1 is no weighting beyond the
/// plain term, a class weight of 1 changes nothing).
struct ConstructorArguments {
    /// How many classes the probes' prediction carries (`TargetFormat.classes`).
    let classes: Int

    /// A keyword argument chosen for a required parameter, and why.
    struct Assumed {
        let name: String
        let value: Value
        /// The argument as Python source, for the report and the `--function` line.
        let source: String
        /// For an argument that follows the probe's class count (the object is rebuilt for each multi-class
        /// candidate), its source for a given count.
        var sourceForClasses: ((Int) -> String)?
        var isClassCount: Bool { sourceForClasses != nil }
    }

    /// The value assumed for a required parameter, from its name first and its annotation second;
    /// nil when neither says anything LossDoctor can stand behind.
    func assumed(for parameter: Parameter) -> Assumed? {
        let name = parameter.name.lowercased()
        var annotationExpression = parameter.annotation
        if case .subscript(let base, _)? = annotationExpression?.kind { annotationExpression = base }  // `Optional[float]`
        let annotation = annotationExpression.flatMap(Interpreter.dottedName)?.lowercased()
        func make(_ value: Value, _ source: String) -> Assumed { Assumed(name: parameter.name, value: value, source: source) }
        // A container annotation wins over the name: `weights: dict` is a mapping of weights, not a weight.
        switch annotation {
        case "dict", "typing.dict", "mapping", "typing.mapping": return make(.dict(DictBox()), "{}")
        case "list", "typing.list", "sequence", "typing.sequence", "tuple", "typing.tuple", "callable", "typing.callable", "nn.module", "torch.nn.module":
            return nil
        default: break
        }
        switch name {
        case "mode", "task", "loss_mode", "task_type":
            return make(.string("binary"), "\"binary\"")  // smp's BINARY_MODE; a single-channel probe
        case "num_classes", "n_classes", "classes", "num_class", "nclass", "nclasses", "class_num", "number_of_classes", "out_channels":
            var count = make(.int(classes), "\(classes)")
            count.sourceForClasses = { String($0) }
            return count
        case "dist_matrix", "distance_matrix":
            // Wasserstein Dice's class distances: every class equally far from every other, the example MONAI documents.
            let scalars = (0..<classes * classes).map { $0 / classes == $0 % classes ? Float(0) : 1 }
            let written = { (count: Int) in "torch.ones(\(count), \(count)) - torch.eye(\(count))" }
            var distances = make(.tensor(Tensor(shape: [classes, classes], scalars: scalars)), written(classes))
            distances.sourceForClasses = written
            return distances
        case "smooth", "smooth_nr", "smooth_dr", "smoothing_factor", "laplace_smoothing":
            return make(.float(1.0), "1.0")  // the `+ 1` of the common Dice definitions
        case "eps", "epsilon":
            return make(.float(1e-7), "1e-07")  // Keras's backend epsilon
        case "alpha", "beta":
            return make(.float(0.5), "0.5")  // Tversky's alpha = beta = 0.5 is Dice
        case "gamma":
            return make(.float(1.0), "1.0")  // focal Tversky with gamma = 1 is Tversky
        case "t1", "t2", "temperature":
            return make(.float(1.0), "1.0")  // bi-tempered logistic loss with t1 = t2 = 1 is the softmax cross-entropy
        case "weight", "weights", "pos_weight", "class_weight", "class_weights", "loss_weight", "lambda_", "lamb", "lambd":
            return make(.float(1.0), "1.0")
        case "reduction":
            return make(.string("mean"), "\"mean\"")
        case "from_logits", "sigmoid", "use_sigmoid", "softmax", "use_softmax", "log_loss":
            return make(.bool(false), "False")
        case "ignore_index":
            return make(.none, "None")
        default:
            break
        }
        switch annotation {
        case "bool": return make(.bool(false), "False")
        case "optional", "typing.optional": return make(.none, "None")
        default: return nil
        }
    }
}
