// One executable: the web app (default, or "serve") and the command-line verbs.
return await FunAd.Web.Cli.FunAdCommandLine.InvokeAsync(args);
public partial class Program;
