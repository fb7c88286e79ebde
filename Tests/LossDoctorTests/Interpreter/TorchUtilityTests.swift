import Testing
@testable import LossDoctor

/// The PyTorch utilities library losses call around the loss itself (kornia, pytorch-toolbelt, MONAI):
/// shapes, dtype promotion, constants made from a tensor, devices, autocast. Values as torch 2.13 CPU gives them.
@Suite("PyTorch utilities of library losses")
struct TorchUtilityTests {
    typealias B = BuiltinTests

    @Test("torch.Size is a tuple of ints (torch 2.13: torch.Size((4, 64)) == (4, 64))")
    func size() throws {
        guard case .tuple(let sizes) = try B.evaluate("torch.Size((4, 64))") else { Issue.record("not a tuple"); return }
        #expect(sizes.compactMap(\.number) == [4, 64])
        #expect(try B.evaluate("torch.Size([2, 3]) == (2, 3)").number == 1)
    }

    @Test("torch.promote_types (torch 2.13: float32+float64 float64, int64+float16 float16, uint8+int8 int16, bool+bool bool)")
    func promoteTypes() throws {
        func promoted(_ a: String, _ b: String) throws -> DType? {
            guard case .dtype(let type) = try B.evaluate("torch.promote_types(torch.\(a), torch.\(b))") else { return nil }
            return type
        }
        #expect(try promoted("float32", "float64") == .float64)
        #expect(try promoted("int64", "float16") == .float16)
        #expect(try promoted("uint8", "int8") == .int16)
        #expect(try promoted("int32", "int64") == .int64)
        #expect(try promoted("bool", "bool") == .bool)
        #expect(try promoted("bool", "int32") == .int32)
    }

    @Test("new_zeros/new_ones/new_full/new_tensor keep the receiver's dtype unless given, and carry no gradient")
    func newConstants() throws {
        let setup = "x = torch.ones(2, 3, dtype=torch.float64)\ni = torch.ones(2, dtype=torch.int64)\n"
        let zeros = try B.tensor("x.new_zeros(4, 5)", setup)
        #expect(zeros.shape == [4, 5] && zeros.dtype == .float64 && zeros.scalars.allSatisfy { $0 == 0 })
        #expect(try B.tensor("x.new_ones((2,), dtype=torch.float32)", setup).dtype == .float32)
        #expect(try B.tensor("i.new_zeros(1)", setup).dtype == .int64)
        let full = try B.tensor("x.new_full((2, 2), 7)", setup)
        #expect(full.scalars == [7, 7, 7, 7] && full.dtype == .float64)
        #expect(try B.tensor("x.new_tensor([1, 2])", setup).dtype == .float64)
        #expect(try B.evaluate("x.is_floating_point()", setup).number == 1)
        #expect(try B.evaluate("torch.is_floating_point(i)", setup).number == 0)
    }

    @Test("torch.mm needs matrices; torch.linspace includes both ends (torch 2.13: linspace(0, 1, 5) = [0, 0.25, 0.5, 0.75, 1])")
    func matricesAndRanges() throws {
        #expect(try B.values("torch.mm(torch.ones(2, 3), torch.ones(3, 2))") == [3, 3, 3, 3])
        #expect(B.error("torch.mm(torch.ones(3), torch.ones(3, 2))", "") != nil)
        #expect(try B.values("torch.linspace(0, 1, 5)") == [0, 0.25, 0.5, 0.75, 1])
        #expect(try B.values("torch.linspace(2, 3, 1)") == [2])
    }

    @Test("torch.aminmax and torch.unbind (torch 2.13: aminmax([[3, 1], [2, 5]], dim=0) = ([2, 1], [3, 5]); unbind(dim=1) = [3, 2], [1, 5]); json.loads as MONAI's _version reads it; FutureWarning")
    func aminmaxUnbindAndJSON() throws {
        let setup = "import json\nx = torch.tensor([[3., 1.], [2., 5.]])\nlow, high = torch.aminmax(x, dim=0)\na, b = torch.unbind(x, dim=1)\n"
        #expect(try B.values("low", setup) == [2, 1])
        #expect(try B.values("high", setup) == [3, 5])
        #expect(try B.values("a", setup) == [3, 2])
        #expect(try B.values("b", setup) == [1, 5])
        #expect(try B.tensor("a", setup).shape == [2])
        let parsed = setup + "d = json.loads('{\"b\": [1, 2.5, true, null], \"a\": \"v\"}')\n"
        #expect(try B.evaluate("d['b'] == [1, 2.5, True, None] and d['a'] == 'v' and isinstance(d['b'][0], int)", parsed).number == 1)
        #expect(B.error("json.loads('{oops')", setup) != nil)
        // MONAI's deprecation decorators warn with FutureWarning.
        #expect(try B.evaluate("warnings.warn('renamed', FutureWarning) is None", "import warnings\n").number == 1)
    }

    @Test("a tensor's device has a type (kornia: pred.device.type == 'cpu')")
    func deviceType() throws {
        #expect(try B.evaluate("torch.ones(1).device.type == 'cpu'").number == 1)
        #expect(try B.evaluate("torch.ones(1).device == torch.zeros(2).device").number == 1)
    }

    @Test("autocast as a decorator leaves the function as it is (toolbelt: @torch.cuda.amp.autocast(enabled=False))")
    func autocastDecorator() throws {
        let source = """
            import torch

            @torch.cuda.amp.autocast(enabled=False)
            def focal_term(pred, target):
                p = torch.sigmoid(pred)
                return ((1 - p) ** 2 * target * -torch.log(p + 1e-6)).mean()

            def loss(pred, target):
                return focal_term(pred, target)
            """
        let result = checkSource(source, function: "loss")
        #expect(!result.codes.contains { $0.hasPrefix("LD9") || $0 == "LD603" }, "\(result.codes)")
    }

    @Test("inspect.isclass tells a class from an instance (MONAI's MaskedLoss builds a class it is given)")
    func isClass() throws {
        let setup = "import inspect\nclass L:\n    pass\n"
        #expect(try B.evaluate("inspect.isclass(L)", setup).number == 1)
        #expect(try B.evaluate("inspect.isclass(L())", setup).number == 0)
    }

    @Test("a member of a str enum has the str methods (MONAI: Weight.SQUARE.strip() == 'square')")
    func strEnumMethods() throws {
        let setup = "from enum import Enum\nclass Weight(str, Enum):\n    SQUARE = 'square'\n"
        #expect(try B.evaluate("Weight.SQUARE.strip().upper() == 'SQUARE'", setup).number == 1)
    }
}

extension TorchUtilityTests {
    @Test("in-place forms, torch.masked_fill, a function's __name__, eager-mode queries (torch 2.13: x.pow_(2) of [1, 2, 3] is [1, 4, 9])")
    func inPlaceAndQueries() throws {
        let setup = "x = torch.tensor([1.0, 2.0, 3.0])\ndef activation(t):\n    return t\n"
        #expect(try B.values("x.pow_(2)", setup) == [1, 4, 9])
        #expect(try B.values("x.clamp_(max=2.0)", setup) == [1, 2, 2])
        #expect(try B.values("torch.masked_fill(x, x > 1.5, 0.0)", setup) == [1, 0, 0])
        #expect(try B.evaluate("activation.__name__ == 'activation'", setup).number == 1)
        #expect(try B.evaluate("torch.compiler.is_exporting() or torch.compiler.is_compiling() or torch._C._are_functorch_transforms_active()").number == 0)
    }
}

extension TorchUtilityTests {
    @Test("iter and next: next takes items in order, then the default or StopIteration (Python 3.11)")
    func iterators() throws {
        let setup = """
            def mean(values, empty=0):
                values = iter(values)
                try:
                    n = 1
                    acc = next(values)
                except StopIteration:
                    return empty
                for n, v in enumerate(values, 2):
                    acc += v
                return acc / n

            """
        #expect(try B.evaluate("mean([1.0, 2.0, 6.0])", setup).number == 3)
        #expect(try B.evaluate("mean([])", setup).number == 0)
        #expect(try B.evaluate("next(iter([]), 7)", setup).number == 7)
        let source = [1, 2, 3]
        #expect(try B.evaluate("len(x) if (next(iter(x)) == 1) else -1", "x = [1, 2, 3]\n").number == Double(source.count), "iter copies: the list itself is not consumed")
    }
}

extension TorchUtilityTests {
    @Test("a property with a setter: @name.setter names the property above it; assigning calls the setter (Python 3.11)")
    func propertySetter() throws {
        let setup = """
            class Named:
                def __init__(self):
                    self._name = None

                @property
                def name(self):
                    return self._name or "default"

                @name.setter
                def name(self, value):
                    self._name = value.upper()

            class ReadOnly:
                @property
                def size(self):
                    return 3

            n = Named()
            n.name = "dice"

            """
        #expect(try B.evaluate("n.name == 'DICE' and n._name == 'DICE'", setup).number == 1)
        #expect(try B.evaluate("Named().name == 'default'", setup).number == 1)
        #expect(B.error("setattr_test()", setup + "def setattr_test():\n    r = ReadOnly()\n    r.size = 4\n")?.message.contains("has no setter") == true)
    }
}
