using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using FunAd.Tests.Web;

namespace FunAd.Tests.Support;

/// <summary>
/// The real app as its own process (funad serve) on a data root, signed in as the test admin, so a
/// test can kill it with SIGKILL and start it again on the same data.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly ProcessOutput output;

    /// <summary>What the app printed so far (its log), for failure messages.</summary>
    public string Output => output.ToString();

    private ServerProcess(Process process, ProcessOutput output, HttpClient client)
    {
        this.process = process;
        this.output = output;
        Client = client;
    }

    public HttpClient Client { get; }

    /// <summary>The most resident memory the process has used so far (Linux: VmHWM), in bytes.</summary>
    public long PeakResidentBytes =>
        File.ReadLines($"/proc/{process.Id}/status").Where(l => l.StartsWith("VmHWM:")).Select(l => long.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024).Single();

    /// <param name="settings">More host settings, as "--Section:Key=value" arguments.</param>
    public static async Task<ServerProcess> StartAsync(string dataRoot, params string[] settings)
    {
        var port = FreePort();
        var process = FunAdProcess.Start(dataRoot, ["serve", "--urls", $"http://127.0.0.1:{port}",
            $"--FUNAD_ADMIN_EMAIL={FunAdWebFactory.AdminEmail}", $"--FUNAD_ADMIN_PASSWORD={FunAdWebFactory.AdminPassword}", .. settings]);
        // Drain the output so the process never blocks on a full pipe.
        var output = new ProcessOutput(process);
        var client = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false })
        {
            BaseAddress = new Uri($"http://127.0.0.1:{port}"),
            Timeout = TimeSpan.FromSeconds(60),
        };
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (true)
        {
            if (process.HasExited) throw new InvalidOperationException($"funad serve exited with {process.ExitCode} while starting.");
            try
            {
                if ((await client.GetAsync("/health")).IsSuccessStatusCode) break;
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
            }
            if (DateTime.UtcNow > deadline) throw new TimeoutException("funad serve did not answer in 2 minutes.");
            await Task.Delay(200);
        }
        var server = new ServerProcess(process, output, client);
        var login = await FunAdWebFactory.PostLoginAsync(client, FunAdWebFactory.AdminEmail, FunAdWebFactory.AdminPassword);
        if (login.StatusCode != HttpStatusCode.Redirect) throw new InvalidOperationException($"sign-in answered {login.StatusCode}");
        return server;
    }

    /// <summary>SIGKILL: no shutdown code runs, as when the machine loses power or the OOM killer strikes.</summary>
    public void Kill()
    {
        process.Kill(entireProcessTree: true);
        process.WaitForExit();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        process.Dispose();
    }
}
