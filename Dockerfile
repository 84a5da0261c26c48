# FunAd: one image for the web app and for `funad worker`. From the repository root:
#   docker build -t funad .                             CPU image (default)
#   docker build -t funad:cuda --build-arg CUDA=true .  CUDA image for GPU workers (NVIDIA driver and
#                                                       container toolkit on the host; run with --gpus)
ARG CUDA=false

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
ARG CUDA
WORKDIR /src
# Restore first, from the project files only, so the package layer survives source edits.
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY FunAd.Engine/FunAd.Engine.csproj FunAd.Engine/
COPY FunAd.Jobs/FunAd.Jobs.csproj FunAd.Jobs/
COPY FunAd.Web/FunAd.Web.csproj FunAd.Web/
RUN dotnet restore FunAd.Web/FunAd.Web.csproj -p:FunAdCuda=${CUDA}
COPY . .
RUN dotnet publish FunAd.Web/FunAd.Web.csproj -c Release -o /app/publish --no-restore -p:FunAdCuda=${CUDA}

# CPU runtime: the default 10.0 images are Ubuntu 24.04, whose libstdc++ TorchSharp loads as is.
FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime-false

# CUDA runtime: CUDA 12 and cuDNN 9 for ONNX Runtime's CUDA provider (libtorch brings its own CUDA
# libraries in the TorchSharp-cuda-linux package), plus the ASP.NET Core runtime copied from the
# official image.
FROM nvidia/cuda:12.8.1-cudnn-runtime-ubuntu24.04 AS runtime-true
COPY --from=mcr.microsoft.com/dotnet/aspnet:10.0 /usr/share/dotnet /usr/share/dotnet
RUN ln -s /usr/share/dotnet/dotnet /usr/bin/dotnet \
    && apt-get update && apt-get install -y --no-install-recommends libicu74 ca-certificates && rm -rf /var/lib/apt/lists/* \
    && (id -u app >/dev/null 2>&1 || useradd --uid 1654 --create-home app)
ENV APP_UID=1654 ASPNETCORE_HTTP_PORTS=8080 DOTNET_RUNNING_IN_CONTAINER=true

FROM runtime-${CUDA} AS runtime
WORKDIR /app
COPY --from=build /app/publish .
RUN mkdir -p /app/data && chown "$APP_UID" /app/data
ENV ASPNETCORE_HTTP_PORTS=8080 \
    FunAd__DataRoot=/app/data
EXPOSE 8080
VOLUME /app/data
# Only the data volume needs to be writable.
USER $APP_UID
# `docker run funad` serves the app; `docker run funad worker` takes training jobs.
ENTRYPOINT ["dotnet", "funad.dll"]
