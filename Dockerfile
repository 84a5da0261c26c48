# FunAd web host. Build from the repository root: docker build -t funad .
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# Restore first, from the project files only, so the package layer survives source edits.
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY FunAd.Engine/FunAd.Engine.csproj FunAd.Engine/
COPY FunAd.Jobs/FunAd.Jobs.csproj FunAd.Jobs/
COPY FunAd.Web/FunAd.Web.csproj FunAd.Web/
RUN dotnet restore FunAd.Web/FunAd.Web.csproj
COPY . .
RUN dotnet publish FunAd.Web/FunAd.Web.csproj -c Release -o /app/publish --no-restore

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app/publish .
RUN mkdir -p /app/data && chown "$APP_UID" /app/data
ENV ASPNETCORE_HTTP_PORTS=8080 \
    FunAd__DataRoot=/app/data
EXPOSE 8080
VOLUME /app/data
# The default 10.0 images are Ubuntu 24.04, whose libstdc++ TorchSharp loads as is, so the
# application folder need not be writable; only the data volume is.
USER $APP_UID
ENTRYPOINT ["dotnet", "funad.dll"]
