import Testing
@testable import LossDoctor

/// `scipy.ndimage.distance_transform_edt` and the imports by name that reach it (MONAI's boundary and Hausdorff
/// losses find SciPy with `optional_import`). Expected values were printed by scipy 1.17.1 (NumPy 2.4.6) and,
/// for the losses, by MONAI 1.6.1's BoundaryLoss, HausdorffDTLoss and LogHausdorffDTLoss on torch 2.13 CPU.
@Suite("SciPy: distance transform")
struct SciPyTests {
    static let setup = "from scipy.ndimage import distance_transform_edt as edt\na = np.array([[1, 1, 1, 1], [1, 0, 1, 1], [1, 1, 1, 0]])\n"

    @Test("2-D distances to the nearest zero, with per-axis and single sampling (scipy 1.17.1 printed)")
    func planar() throws {
        let r2 = Float(2).squareRoot()
        #expect(BuiltinTests.close(try BuiltinTests.values("edt(a)", Self.setup), [r2, 1, r2, 2, 1, 0, 1, 1, r2, 1, 1, 0]))
        #expect(BuiltinTests.close(try BuiltinTests.values("edt(a, sampling=[2.0, 0.5])", Self.setup),
                                   [2.0615528, 2, 2.0615528, 2.2360680, 0.5, 0, 0.5, 1, 1.5, 1, 0.5, 0]))
        #expect(BuiltinTests.close(try BuiltinTests.values("edt(a, sampling=3)", Self.setup), [4.2426407, 3, 4.2426407, 6, 3, 0, 3, 3, 4.2426407, 3, 3, 0]))
        #expect(BuiltinTests.close(try BuiltinTests.values("edt(np.array([[0, 1, 1], [1, 1, 1]]), sampling=[2, 1])", Self.setup),
                                   [0, 1, 2, 2, 2.2360680, 2.8284271]))
        let bools = try BuiltinTests.tensor("edt(np.array([True, True, False, True]))", Self.setup)
        #expect(bools.scalars == [2, 1, 0, 1] && bools.dtype == .float64)
    }

    @Test("3-D distances around one zero voxel (scipy 1.17.1 printed)")
    func volume() throws {
        let (r2, r3) = (Float(2).squareRoot(), Float(3).squareRoot())
        let setup = Self.setup + "v = np.ones((2, 3, 3))\nv[1, 1, 1] = 0\n"
        #expect(BuiltinTests.close(try BuiltinTests.values("edt(v)", setup),
                                   [r3, r2, r3, r2, 1, r2, r3, r2, r3, r2, 1, r2, 1, 0, 1, r2, 1, r2]))
    }

    @Test("no zero at all: scipy measures from (-1, 0, ..., 0); all zeros give zeros (scipy 1.17.1 printed)")
    func withoutZeros() throws {
        #expect(try BuiltinTests.values("edt(np.zeros((2, 3)))", Self.setup) == [0, 0, 0, 0, 0, 0])
        #expect(try BuiltinTests.values("edt(np.ones(4))", Self.setup) == [1, 2, 3, 4])
        #expect(BuiltinTests.close(try BuiltinTests.values("edt(np.ones((3, 2)), sampling=[2, 3])", Self.setup), [2, 3.6055513, 4, 5, 6, 6.7082039]))
        #expect(BuiltinTests.close(try BuiltinTests.values("edt(np.ones((2, 3)))", Self.setup), [1, 1.4142136, 2.2360680, 2, 2.2360680, 2.8284271]))
        #expect(BuiltinTests.close(try BuiltinTests.values("edt(np.ones((2, 2, 2)))", Self.setup),
                                   [1, 1.4142136, 1.4142136, 1.7320508, 2, 2.2360680, 2.2360680, 2.4494897]))
        #expect(BuiltinTests.close(try BuiltinTests.values("edt(np.ones((2, 2)), sampling=[0.5, 2])", Self.setup), [0.5, 2.0615528, 1, 2.2360680]))
    }

    @Test("distances= writes into the array given, as MONAI passes one channel of its output, and returns None")
    func outputArgument() throws {
        let setup = Self.setup + """
            out = np.zeros((2, 3, 4), dtype=np.float64)
            written = edt(a, distances=out[1] if out is not None else None)
            edt(a, distances=out[0])

            """
        guard case .none = try BuiltinTests.evaluate("written", setup) else { Issue.record("distances= returns a value"); return }
        let r2 = Float(2).squareRoot()
        let once: [Float] = [r2, 1, r2, 2, 1, 0, 1, 1, r2, 1, 1, 0]
        #expect(BuiltinTests.close(try BuiltinTests.values("out", setup), once + once))
    }

    @Test("what scipy refuses raises its error; the feature transform is unsupported, not guessed")
    func errors() {
        #expect(BuiltinTests.error("edt(a, sampling=[1, 2, 3])", Self.setup)?.message == "RuntimeError: sequence argument must have length equal to input rank")
        #expect(BuiltinTests.error("edt(a, return_distances=False)", Self.setup)?.message == "RuntimeError: at least one of return_distances/return_indices must be True")
        #expect(BuiltinTests.error("edt(a, distances=np.zeros((3, 3)))", Self.setup)?.message == "RuntimeError: distances array has wrong shape")
        #expect(BuiltinTests.error("edt(a, return_indices=True)", Self.setup)?.code == "LD902")
    }

    @Test("the separable passes agree with the brute-force nearest zero, with uneven sampling, on a scattered pattern")
    func agreesWithBruteForce() throws {
        let (rows, columns, sampling) = (9, 13, (Float(1.5), Float(0.7)))
        let setup = Self.setup + "i = np.arange(\(rows * columns)).reshape(\(rows), \(columns))\ngrid = np.where((i * 7) % 11 < 2, 0, 1)\n"
        let grid = try BuiltinTests.values("grid", setup)
        let zeros = grid.indices.filter { grid[$0] == 0 }
        let expected = grid.indices.map { k in
            zeros.map { z -> Float in
                let (dr, dc) = (Float(k / columns - z / columns) * sampling.0, Float(k % columns - z % columns) * sampling.1)
                return (dr * dr + dc * dc).squareRoot()
            }.min() ?? 0
        }
        #expect(BuiltinTests.close(try BuiltinTests.values("edt(grid, sampling=(1.5, 0.7))", setup), expected))
        let line = try BuiltinTests.values("edt(np.where((np.arange(2000) == 0) | (np.arange(2000) == 1999), 0, 1))", setup)
        #expect(line == (0..<2000).map { Float(Swift.min($0, 1999 - $0)) })
    }

    @Test("an import by name finds a module LossDoctor models and misses any other (cupy), as Python's ImportError")
    func importByName() throws {
        let setup = "import importlib\n"
        guard case .module(let found) = try BuiltinTests.evaluate("importlib.import_module('scipy.ndimage')", setup),
              case .module(let top) = try BuiltinTests.evaluate("__import__('scipy.ndimage')", setup) else { Issue.record("no module"); return }
        #expect(found == "scipy.ndimage" && top == "scipy")
        #expect(BuiltinTests.error("importlib.import_module('cupy')", setup)?.message == "ModuleNotFoundError: No module named 'cupy'")
    }

    @Test("torch.prod over everything and over one axis, with the product's gradient (torch 2.13 printed)")
    func product() throws {
        let setup = "m = torch.tensor([[1.0, 2.0], [3.0, 4.0]])\n"
        #expect(try BuiltinTests.values("torch.prod(m)", setup) == [24])
        #expect(try BuiltinTests.values("m.prod(dim=1)", setup) == [2, 12])
        #expect(try BuiltinTests.tensor("torch.prod(m, 0, keepdim=True)", setup).shape == [1, 2])
        #expect(try BuiltinTests.values("torch.prod(torch.as_tensor((4, 5)))", setup) == [20])
        let interpreter = try BuiltinTests.interpreter()
        let x = Tensor.variable(shape: [4], scalars: [1, 2, 3, 4])
        interpreter.globals["x"] = .tensor(x)
        guard case .tensor(let p) = try BuiltinTests.evaluate("torch.prod(x)", in: interpreter) else { Issue.record("no tensor"); return }
        #expect(p.gradient(withRespectTo: x).values == [24, 12, 8, 6])
    }

    /// Boundary and Hausdorff losses written the way MONAI computes them on the CPU: SciPy found by name, cupy
    /// missing, one channel at a time into a float64 output, `torch.from_numpy` back.
    static let losses = """
        import importlib

        import numpy as np
        import torch


        def find(name):
            try:
                __import__(name)
                return importlib.import_module(name), True
            except ImportError:
                return None, False


        ndimage, has_ndimage = find("scipy.ndimage")
        cupy, has_cupy = find("cupy")


        def per_channel_edt(mask):
            array = mask.cpu().numpy()
            out = np.zeros_like(array, dtype=np.float64)
            for c in range(array.shape[0]):
                ndimage.distance_transform_edt(array[c], distances=out[c] if out is not None else None)
            return torch.from_numpy(out)


        def signed_distance(target):
            result = torch.zeros_like(target)
            for b in range(target.shape[0]):
                for c in range(target.shape[1]):
                    inside = target[b, c:c + 1] > 0.5
                    if inside.any() and not inside.all():
                        inner, outer = per_channel_edt(inside), per_channel_edt(~inside)
                        result[b, c] = torch.where(inside, 1 - inner, outer).float()[0]
            return result


        def edge_field(x):
            field = torch.zeros_like(x)
            for b in range(x.shape[0]):
                inside = x[b] > 0.5
                if inside.any() and not inside.all():
                    field[b] = (per_channel_edt(inside) + per_channel_edt(~inside)).float()
            return field


        def boundary(logits, target):
            p = torch.softmax(logits, dim=1)
            area = torch.prod(torch.as_tensor(p.shape[2:]))
            return ((p * signed_distance(target)).sum(dim=(2, 3)) / area).mean()


        def hausdorff(logits, target):
            p = torch.softmax(logits, dim=1)[:, 1:]
            t = target[:, 1:]
            weight = edge_field(p.detach()) ** 2 + edge_field(t) ** 2
            return ((p - t) ** 2 * weight).mean()


        labels = torch.zeros(1, 1, 4, 5)
        labels[0, 0, 1:3, 1:3] = 1
        target = torch.cat([1 - labels, labels], dim=1)
        # torch.sin(torch.arange(40).float().reshape(1, 2, 4, 5) * 0.7) * 2, as torch 2.13 printed it
        logits = torch.tensor([0.0, 1.2884353399276733, 1.9708994626998901, 1.7264188528060913, 0.6699764132499695, -0.7015664577484131, -1.743151307106018, -1.9649051427841187, -1.26253342628479, 0.0336272306740284, 1.3139731884002686, 1.9763363599777222, 1.709198236465454, 0.6381978392601013, -0.7329586148262024, -1.7593915462493896, -1.9583555459976196, -1.2362748384475708, 0.06724495440721512, 1.3391398191452026, 1.9812147617340088, 1.6914938688278198, 0.6062374711036682, -0.7641435265541077, -1.7751333713531494, -1.9512519836425781, -1.209667444229126, 0.1008446142077446, 1.3639278411865234, 1.9855326414108276, 1.6733112335205078, 0.5741074681282043, -0.7951106429100037, -1.7903751134872437, -1.9435973167419434, -1.1827150583267212, 0.13441386818885803, 1.3883287906646729, 1.98928964138031, 1.6546566486358643]).reshape(1, 2, 4, 5)

        """

    @Test("boundary and Hausdorff distance-transform losses match MONAI 1.6.1 (0.26609874, 1.1182798, log 0.75060439)")
    func monaiValues() throws {
        let interpreter = try BuiltinTests.interpreter(Self.losses)
        guard case .bool(true) = try BuiltinTests.evaluate("has_ndimage and not has_cupy", in: interpreter) else { Issue.record("imports"); return }
        #expect(BuiltinTests.close(try value("boundary(logits, target)", interpreter), [0.26609874], tolerance: 1e-5))
        #expect(BuiltinTests.close(try value("hausdorff(logits, target)", interpreter), [1.1182798], tolerance: 1e-5))
        #expect(BuiltinTests.close(try value("torch.log(hausdorff(logits, target) + 1)", interpreter), [0.75060439], tolerance: 1e-5))
        // MONAI's gradients with respect to the logits of class 1, first row: the distances carry none.
        let x = Tensor.variable(shape: [1, 2, 4, 5], scalars: try value("logits", interpreter))
        interpreter.globals["x"] = .tensor(x)
        for (expression, expected) in [("boundary(x, target)", [0.0048683030, 0.0060028806, 0.0040519517, 0.0032302255, 0.0063739168]),
                                       ("hausdorff(x, target)", [0.028078664, 0.028786084, 0.0065960474, 0.0016222778, 0.0035156601])] as [(String, [Float])] {
            guard case .tensor(let loss) = try BuiltinTests.evaluate(expression, in: interpreter), let gradient = loss.gradient(withRespectTo: x).values else {
                Issue.record("no gradient: \(expression)")
                continue
            }
            #expect(BuiltinTests.close(Array(gradient[20..<25]), expected, tolerance: 1e-4), "\(expression): \(gradient[20..<25])")
        }
    }

    private func value(_ expression: String, _ interpreter: Interpreter) throws -> [Float] {
        guard case .tensor(let t) = try BuiltinTests.evaluate(expression, in: interpreter) else { return [] }
        return t.scalars
    }
}
