# syntax=docker/dockerfile:1

# One Dockerfile for every LeadHandoff host. PROJECT names the project folder under src/ (folder and project
# share a name). The default builds the HTTP API; the adapters worker host reuses this file with
#   docker build --build-arg PROJECT=LeadHandoff.Adapters.Worker .
# and overrides the entry point (see the ENTRYPOINT note at the bottom).
ARG PROJECT=LeadHandoff.Api

# The SDK stage runs on the build machine's own architecture even when the target differs: the publish output is
# framework-dependent and portable (managed code plus native SQLite for every runtime identifier), so a multi-arch
# build never has to run the SDK under emulation.
FROM --platform=$BUILDPLATFORM mcr.microsoft.com/dotnet/sdk:10.0 AS build
ARG PROJECT
ENV DOTNET_CLI_TELEMETRY_OPTOUT=1 \
    DOTNET_NOLOGO=1
WORKDIR /src

# Restore from the build and package definitions alone, so the restored layer is reused until a project file,
# a props file or the SDK pin changes, not on every source edit.
COPY global.json Directory.Build.props Directory.Packages.props BannedSymbols.txt LeadHandoff.sln ./
# COPY flattens globs, so each project file is moved back into its own folder. Doing it with a glob rather than one
# COPY per project means a new project under src/ (such as the adapters host) needs no edit here.
COPY src/*/*.csproj ./src/
RUN for project in src/*.csproj; do \
      name="$(basename "$project" .csproj)"; \
      mkdir -p "src/$name" && mv "$project" "src/$name/"; \
    done
RUN dotnet restore "src/${PROJECT}/${PROJECT}.csproj"

COPY src/ ./src/
# No apphost: the image starts the app through the dotnet muxer, and skipping the native launcher keeps the output
# architecture-neutral (see the --platform note above).
RUN dotnet publish "src/${PROJECT}/${PROJECT}.csproj" \
      --configuration Release \
      --no-restore \
      --output /app \
      -p:UseAppHost=false

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app

# The SQLite default writes under ./data relative to the content root (/app). The application files stay owned by
# root and read-only to the app user; only this folder is writable. Group 0 with group write lets platforms that
# run containers under an arbitrary UID in the root group (OpenShift) use it too. With PostgreSQL nothing is
# written here, so a read-only root filesystem works as long as /tmp is writable.
RUN mkdir -p /app/data \
    && chown "$APP_UID:0" /app/data \
    && chmod 0770 /app/data

COPY --from=build /app ./

# The base image already listens on 8080; stating it keeps the contract visible next to EXPOSE.
ENV ASPNETCORE_HTTP_PORTS=8080
EXPOSE 8080

# The image's built-in non-root "app" user, by numeric UID so Kubernetes' runAsNonRoot can verify it.
USER $APP_UID

# No HEALTHCHECK: orchestrators probe /health/live and /health/ready themselves, and the runtime image has no HTTP
# client to run one with.
# Exec form cannot expand build arguments, so this names the API assembly; an image built for another PROJECT sets
# its own (docker run --entrypoint, compose "entrypoint:", Kubernetes "command:").
ENTRYPOINT ["dotnet", "LeadHandoff.Api.dll"]
