using FunAd.Bench;

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
    case "fashion": AccuracyBench.Fashion(options); break;
    case "textures": AccuracyBench.Textures(options); break;
    case "memory": MemoryBench.Run(options); break;
    case "all":
        ThroughputBench.Run(options);
        AccuracyBench.Fashion(options);
        AccuracyBench.Textures(options);
        break;
    default:
        Console.Error.WriteLine("usage: funad-bench [throughput|fashion|textures|memory|all|load] (load: [--seconds 60] [--clients 20] [--reviewers 5]) [--method patchcore|funad] [--profile fast|paper] [--set name=value]... [--work DIR] [--seed N] [--classes 0,1,..] [--textures brick,grass,gravel] [--train N] [--contamination F] [--coreset F] [--images N] [--folder DIR (throughput: score these images instead of generated noise PNGs)]");
        return 2;
}
return 0;
