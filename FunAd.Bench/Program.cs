using FunAd.Bench;

// Benchmarks print figures; they never assert. Results are recorded by hand in docs/benchmarks.md.
var verb = args.FirstOrDefault() ?? "all";
var options = BenchOptions.Parse(args.Skip(1).ToArray());
switch (verb)
{
    case "throughput": ThroughputBench.Run(options); break;
    case "fashion": AccuracyBench.Fashion(options); break;
    case "textures": AccuracyBench.Textures(options); break;
    case "memory": MemoryBench.Run(options); break;
    case "all":
        ThroughputBench.Run(options);
        AccuracyBench.Fashion(options);
        AccuracyBench.Textures(options);
        break;
    default:
        Console.Error.WriteLine("usage: funad-bench [throughput|fashion|textures|memory|all] [--method patchcore|funad] [--profile fast|paper] [--set name=value]... [--work DIR] [--seed N] [--classes 0,1,..] [--textures brick,grass,gravel] [--train N] [--contamination F] [--coreset F] [--images N]");
        return 2;
}
return 0;
