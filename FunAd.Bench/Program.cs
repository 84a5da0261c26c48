using FunAd.Bench;
using FunAd.Bench.Accuracy;

// Benchmarks print figures; they never assert. Results are recorded by hand in docs/benchmarks.md.
var verb = args.FirstOrDefault() ?? "all";
if (verb == "load")
{
    int Arg(string name, int fallback) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault() is { } v ? int.Parse(v) : fallback;
    await LoadBench.RunAsync(Arg("--seconds", 60), Arg("--clients", 20), Arg("--reviewers", 5));
    return 0;
}
var options = BenchOptions.Parse(args.Skip(1).ToArray());
switch (verb)
{
    case "throughput": ThroughputBench.Run(options); break;
    case "fashion": SemanticBench.Run(options); break;
    case "textures": TextureBench.Run(options); break;
    case "memory": MemoryBench.Run(options); break;
    case "all":
        ThroughputBench.Run(options);
        SemanticBench.Run(options);
        TextureBench.Run(options);
        break;
    default:
        Console.Error.WriteLine("""
            usage: funad-bench VERB [options]
              throughput   [--images 96] [--folder DIR]        feature and scoring throughput against the bare backbone
              fashion      [--classes 0,..,9] [--train 550] [--test-normal 500] [--test-anomalous 500] [--curves]
                                                               semantic one-vs-rest beside kNN-1/5/10
              textures     [--textures brick,grass,..] [--protocols distinct,overlap] [--train 200]
                                                               texture defects in both contamination protocols
              memory                                           resident memory through a FUN-AD run
              load         [--seconds 60] [--clients 20] [--reviewers 5]
            common: [--methods patchcore,funad,funad-bank] [--seeds 0,1] [--profile fast|paper] [--set name=value]...
                    [--contamination 0.1] [--coreset 0.1] [--work .bench]
            """);
        return 2;
}
return 0;
