using FunAd.Tests.Support;
using Xunit.Abstractions;

namespace FunAd.Tests.Reliability;

/// <summary>
/// A TorchSharp Scalar is a native object freed by its finaliser. TorchSharp 0.107 turns a number into a
/// temporary Scalar (an implicit conversion, or inside overloads such as <c>tensor * 0.5</c> and
/// <c>functional.leaky_relu(x, 0.2)</c>) and passes only its handle to libtorch: the temporary is
/// unreachable during the native call, so a garbage collection there lets the finaliser free it while
/// libtorch reads it. CI saw it as "Expected false to be true ... toFloat" from leaky_relu in a training
/// run on a busy machine. Engine code must therefore make every Scalar itself (<c>ToScalar</c>) and hold
/// it (<c>using</c>) across the call; this test reads the compiled code of every FunAd assembly and names
/// each method that does not.
/// </summary>
public sealed class ScalarLifetimeTests(ITestOutputHelper output)
{
    private const string Scalar = "TorchSharp.Scalar";
    private const string ToScalar = "TorchSharp.ScalarExtensionMethods::ToScalar(";

    [Fact]
    public void No_FunAd_code_leaves_a_temporary_scalar_to_the_finaliser_during_a_native_call()
    {
        var bin = AppContext.BaseDirectory;
        using var torchSharp = new IlCalls(Path.Combine(bin, "TorchSharp.dll"));
        var unsafeInTorchSharp = new TorchSharpScalarTemporaries(torchSharp.Methods);

        var offenders = new List<string>();
        foreach (var assembly in new[] { "FunAd.Engine.dll", "FunAd.Jobs.dll", "funad.dll" })
        {
            using var code = new IlCalls(Path.Combine(bin, assembly));
            foreach (var (method, calls) in code.Methods)
            {
                foreach (var call in calls)
                {
                    if (call.StartsWith(Scalar + "::op_Implicit(", StringComparison.Ordinal))
                        offenders.Add($"{method}: converts a number to a Scalar implicitly");
                    else if (unsafeInTorchSharp.Creates(call))
                        offenders.Add($"{method}: calls {call}, which makes a Scalar it does not keep alive");
                }
                // A static initialiser keeps its Scalars in static fields, alive for the process's life.
                if (!method.Contains("::.cctor(", StringComparison.Ordinal)
                    && calls.Any(c => c.StartsWith(ToScalar, StringComparison.Ordinal)) && !calls.Any(IsDispose))
                    offenders.Add($"{method}: makes a Scalar with ToScalar but never disposes one (hold it with using)");
            }
        }

        foreach (var offender in offenders.Distinct()) output.WriteLine(offender);
        Assert.Empty(offenders.Distinct());
    }

    [Fact]
    public void The_scan_finds_the_temporaries_that_TorchSharp_overloads_make()
    {
        // Guards the test above against reading nothing: these overloads are the ones that failed.
        using var torchSharp = new IlCalls(Path.Combine(AppContext.BaseDirectory, "TorchSharp.dll"));
        var temporaries = new TorchSharpScalarTemporaries(torchSharp.Methods);
        Assert.True(temporaries.Creates("TorchSharp.torch+nn+functional::leaky_relu(TorchSharp.torch+Tensor,Double,Boolean) TorchSharp.torch+Tensor"));
        Assert.True(temporaries.Creates("TorchSharp.torch+Tensor::op_Multiply(TorchSharp.torch+Tensor,Double) TorchSharp.torch+Tensor"));
        Assert.False(temporaries.Creates("TorchSharp.torch+Tensor::op_Multiply(TorchSharp.torch+Tensor,TorchSharp.torch+Tensor) TorchSharp.torch+Tensor"));
        Assert.False(temporaries.Creates("TorchSharp.torch+Tensor::leaky_relu(TorchSharp.Scalar) TorchSharp.torch+Tensor"));
    }

    private static bool IsDispose(string call) =>
        call.StartsWith(Scalar + "::Dispose(", StringComparison.Ordinal) || call.StartsWith("System.IDisposable::Dispose(", StringComparison.Ordinal);

    /// <summary>
    /// The TorchSharp methods that make a Scalar (implicitly or with ToScalar) without disposing one in the
    /// same body, directly or through the TorchSharp methods they call.
    /// </summary>
    private sealed class TorchSharpScalarTemporaries(IReadOnlyDictionary<string, IReadOnlyList<string>> methods)
    {
        private readonly Dictionary<string, bool> known = [];

        public bool Creates(string method)
        {
            if (known.TryGetValue(method, out var creates)) return creates;
            known[method] = false; // a cycle adds nothing
            if (!methods.TryGetValue(method, out var calls)) return false;
            var makes = calls.Any(c => c.StartsWith(Scalar + "::op_Implicit(", StringComparison.Ordinal) || c.StartsWith(ToScalar, StringComparison.Ordinal));
            creates = (makes && !calls.Any(IsDispose))
                || calls.Any(c => c.StartsWith("TorchSharp.", StringComparison.Ordinal) && !c.StartsWith(Scalar + "::", StringComparison.Ordinal)
                                  && !c.StartsWith(ToScalar, StringComparison.Ordinal) && Creates(c));
            return known[method] = creates;
        }
    }
}
