return await FunAd.Web.Hosting.WebApp.RunAsync(args);
