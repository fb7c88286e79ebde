import Foundation
import Testing
@testable import LossDoctor

/// The flags (and `[tool.loss-doctor]` keys) that say what the probes of files look like when the code
/// cannot: `--ignore-index`, `--volume`; and `--loss` given a library loss's constructor call.
/// The torch behaviour quoted was run in /work/venv-torch (torch 2.15.0 CPU, 2026-12-05).
@Suite("Probe options")
struct ProbeOptionsTests {
    /// CrossEntropyLoss keeps its default ignore_index=-100. torch 2.15 on a label map holding 255:
    /// `IndexError: Target 255 is out of bounds.`
    static let defaultCrossEntropy = """
        import torch.nn as nn

        criterion = nn.CrossEntropyLoss()


        def seg_loss(logits, target):
            return criterion(logits, target)

        """

    /// The same loss told about the label: torch 2.15 gives 1.381 on a random 2x3x16x16 batch with a row of 255.
    static let ignoringCrossEntropy = defaultCrossEntropy.replacingOccurrences(of: "nn.CrossEntropyLoss()", with: "nn.CrossEntropyLoss(ignore_index=255)")

    /// A 3-D Dice that unpacks five dimensions: torch 2.15 on a 2-D batch raises `ValueError: not enough values
    /// to unpack (expected 5, got 4)`; on 2x1x4x16x16 volumes it is 0.6284, gradient norm 0.00558.
    static let unpackingVolumeDice = """
        import torch


        def dice_3d(logits, target):
            n, c, d, h, w = logits.shape
            p = torch.sigmoid(logits).reshape(n, c, d * h * w)
            t = target.reshape(n, c, d * h * w)
            inter = (p * t).sum(-1)
            return 1 - ((2 * inter + 1) / (p.sum(-1) + t.sum(-1) + 1)).mean()

        """

    @Test("--ignore-index 255: a CrossEntropyLoss left at ignore_index=-100 raises on the label map, as torch does")
    func ignoreIndexRaises() throws {
        let project = try TemporaryProject(["losses.py": Self.defaultCrossEntropy])
        let unsaid = project.run(["check", project.path("losses.py"), "--no-simulate"])
        #expect(!unsaid.stdout.contains("Target 255 is out of bounds"))
        let said = project.run(["check", project.path("losses.py"), "--no-simulate", "--ignore-index", "255"])
        #expect(said.exitCode == 1)
        #expect(said.stdout.contains("error[LD603]"), "\(said.stdout)")
        #expect(said.stdout.contains("IndexError: Target 255 is out of bounds."))
        #expect(said.stdout.contains("class-index (3 classes, ignore_index 255)"))
        #expect(said.stdout.contains("ignore_index 255 (given by --ignore-index): a frame of pixels carries it"))
    }

    @Test("--ignore-index 255 on a loss that ignores it: probed with the frame, no error")
    func ignoreIndexAccepted() throws {
        let project = try TemporaryProject(["losses.py": Self.ignoringCrossEntropy])
        let result = project.run(["check", project.path("losses.py"), "--no-simulate", "--ignore-index", "255"])
        #expect(!result.stdout.contains("error["), "\(result.stdout)")
        #expect(result.stdout.contains("target class-index (3 classes, ignore_index 255)"), "\(result.stdout)")
    }

    @Test("--ignore-index with --target index applies to the given target; a PyTorch default of -100 is a label too")
    func ignoreIndexWithGivenTarget() throws {
        let project = try TemporaryProject(["losses.py": Self.defaultCrossEntropy])
        let given = project.run(["check", project.path("losses.py"), "--no-simulate", "--target", "index", "--ignore-index", "255"])
        #expect(given.stdout.contains("target class-index (3 classes, ignore_index 255) (given by --target and --ignore-index)"), "\(given.stdout)")
        #expect(given.stdout.contains("IndexError: Target 255 is out of bounds."))
        // torch 2.15: CrossEntropyLoss() skips -100 labels (1.381, as with ignore_index=255 on 255).
        let pytorchDefault = project.run(["check", project.path("losses.py"), "--no-simulate", "--ignore-index", "-100"])
        #expect(pytorchDefault.stdout.contains("ignore_index -100"), "\(pytorchDefault.stdout)")
        #expect(!pytorchDefault.stdout.contains("error[LD603]"))
    }

    @Test("--ignore-index refuses a label that is a class, a non-index target, and a non-number (exit 2)")
    func ignoreIndexRefused() throws {
        let project = try TemporaryProject(["losses.py": Self.defaultCrossEntropy])
        let file = project.path("losses.py")
        let classLabel = project.run(["check", file, "--ignore-index", "1", "--classes", "3"])
        #expect(classLabel.exitCode == 2)
        #expect(classLabel.stderr.contains("is one of the 3 class labels"))
        #expect(project.run(["check", file, "--ignore-index", "255", "--target", "one-hot"]).exitCode == 2)
        #expect(project.run(["check", file, "--ignore-index", "void"]).exitCode == 2)
        #expect(project.run(["check", file, "--ignore-index", "70000"]).exitCode == 2)
    }

    @Test("pyproject ignore-index applies to files, a bad value or a clash with target is refused")
    func ignoreIndexConfiguration() throws {
        let project = try TemporaryProject([
            "pyproject.toml": "[tool.loss-doctor]\nignore-index = 255\n",
            "losses.py": Self.defaultCrossEntropy,
        ])
        let configured = project.run(["check", project.path("losses.py"), "--no-simulate"])
        #expect(configured.stdout.contains("IndexError: Target 255 is out of bounds."), "\(configured.stdout)")
        #expect(configured.stdout.contains("pyproject.toml): a frame of pixels carries it"))
        for bad in ["ignore-index = \"void\"\n", "ignore-index = 255\ntarget = \"one-hot\"\n", "ignore-index = 0\nclasses = 3\n"] {
            let project = try TemporaryProject(["pyproject.toml": "[tool.loss-doctor]\n" + bad, "losses.py": Self.defaultCrossEntropy])
            let result = project.run(["check", project.path("losses.py"), "--no-simulate"])
            #expect(result.exitCode == 2, "\(bad)")
            #expect(result.stderr.contains("ignore-index"), "\(result.stderr)")
        }
    }

    @Test("--volume probes a loss that unpacks five dimensions with volumes; without it the 2-D probe raises")
    func volumeFlag() throws {
        let project = try TemporaryProject(["losses.py": Self.unpackingVolumeDice])
        let flat = project.run(["check", project.path("losses.py"), "--no-simulate"])
        #expect(flat.stdout.contains("error[LD603]"), "\(flat.stdout)")
        #expect(flat.stdout.contains("not enough values to unpack (expected 5, got 4)"))
        let volume = project.run(["check", project.path("losses.py"), "--no-simulate", "--volume"])
        #expect(volume.stdout.contains("3-D volumes of 4 slices (given by --volume)"), "\(volume.stdout)")
        #expect(!volume.stdout.contains("error["), "\(volume.stdout)")
        #expect(volume.exitCode == 0)
    }

    @Test("pyproject volume = true applies to files; a non-boolean is refused")
    func volumeConfiguration() throws {
        let project = try TemporaryProject([
            "pyproject.toml": "[tool.loss-doctor]\nvolume = true\n",
            "losses.py": Self.unpackingVolumeDice,
        ])
        let result = project.run(["check", project.path("losses.py"), "--no-simulate"])
        #expect(result.stdout.contains("3-D volumes of 4 slices (given by "), "\(result.stdout)")
        #expect(result.exitCode == 0)
        let bad = try TemporaryProject(["pyproject.toml": "[tool.loss-doctor]\nvolume = \"yes\"\n", "losses.py": Self.unpackingVolumeDice])
        #expect(bad.run(["check", bad.path("losses.py"), "--no-simulate"]).exitCode == 2)
    }

    @Test("--loss takes a library loss's constructor call and checks that configuration")
    func libraryExpression() throws {
        let result = CommandLineTool.run(["check", "--loss", "monai.DiceLoss(sigmoid=True)", "--no-simulate"], check: CommandContext.defaultCheck)
        #expect(result.stdout.contains("checking monai.DiceLoss(sigmoid=True)"), "\(result.stdout)")
        #expect(result.stdout.contains("input logits"), "\(result.stdout)")
        #expect(!result.stdout.contains("LD603") && !result.stdout.contains("LD90"), "\(result.stdout)")
        #expect(result.exitCode == 0, "\(result.stdout)")
        // A built-in and a library configuration in one run.
        let both = CommandLineTool.run(["check", "--loss", "bce", "--loss", "smp.DiceLoss(mode=\"binary\")", "--no-simulate"], check: CommandContext.defaultCheck)
        #expect(both.stdout.contains("checking bce"))
        #expect(both.stdout.contains("checking smp.DiceLoss(mode=\"binary\")"), "\(both.stdout)")
    }

    @Test("--loss with an unknown library loss: did you mean, exit 2")
    func unknownLibraryLoss() {
        let result = CommandLineTool.run(["check", "--loss", "monai.DiceLos(sigmoid=True)"], check: CommandContext.defaultCheck)
        #expect(result.exitCode == 2)
        #expect(result.stderr.contains("unknown library loss 'monai.DiceLos'"), "\(result.stderr)")
        #expect(result.stderr.contains("Did you mean 'monai.DiceLoss'?"), "\(result.stderr)")
        #expect(LibraryLosses.expressionNames.contains("smp.FocalLoss"))
        #expect(LibraryLosses.expressionNames.contains("torchvision.sigmoid_focal_loss"))
        // A plain unknown name is still looked up among the built-ins.
        let builtin = CommandLineTool.run(["check", "--loss", "dice-flor"], check: CommandContext.defaultCheck)
        #expect(builtin.exitCode == 2)
        #expect(builtin.stderr.contains("Did you mean 'dice-floor'?"))
    }
}
