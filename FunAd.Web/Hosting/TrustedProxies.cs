using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace FunAd.Web.Hosting;

/// <summary>
/// Which proxies may tell the app the client's address and scheme (X-Forwarded-For, -Proto), when
/// <c>FunAd:BehindProxy</c> is true: the loopback addresses (a proxy on the same machine) and the
/// addresses or CIDR networks in <c>FunAd:TrustedProxies</c> ("10.0.0.5, 10.1.0.0/16"). A header from
/// anyone else is ignored, so a client cannot pick its own address and slip past the sign-in rate limit.
/// </summary>
public static class TrustedProxies
{
    public const string Setting = "FunAd:TrustedProxies";

    public static ForwardedHeadersOptions Options(IConfiguration configuration)
    {
        // The defaults already trust 127.0.0.1 and ::1 only; one forwarded hop is read.
        var options = new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto, ForwardLimit = 1 };
        var listed = configuration[Setting] ?? "";
        foreach (var entry in listed.Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (entry.Contains('/'))
            {
                if (!System.Net.IPNetwork.TryParse(entry, out var network))
                    throw new InvalidOperationException($"{Setting}: '{entry}' is not an address or a CIDR network (like 10.0.0.5 or 10.1.0.0/16).");
                options.KnownIPNetworks.Add(network);
            }
            else
            {
                if (!IPAddress.TryParse(entry, out var address))
                    throw new InvalidOperationException($"{Setting}: '{entry}' is not an address or a CIDR network (like 10.0.0.5 or 10.1.0.0/16).");
                options.KnownProxies.Add(address);
            }
        }
        return options;
    }
}
