# argoctl in a container: the image `argoctl submit --driver pod` runs the engine in, so that a
# workflow outlives the laptop. Build: docker build -t argoctl:dev .
# The driver pod needs the Role of deploy/rbac.yaml (service account "argoctl").
FROM python:3.12-slim AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY argoctl ./argoctl
RUN pip wheel --no-cache-dir --wheel-dir /wheels .

FROM python:3.12-slim
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir /wheels/*.whl && rm -rf /wheels
# no root needed: state lives in ConfigMaps, steps run as pods
USER 65532:65532
ENV HOME=/tmp XDG_DATA_HOME=/tmp/argoctl ARGOCTL_BACKEND=kubernetes
ENTRYPOINT ["argoctl"]
CMD ["--help"]
