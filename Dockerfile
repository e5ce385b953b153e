# Matchkey gateway image. The build steps are deploy/install.sh, the same script as a bare-metal install: compile,
# runtime dependencies only (npm ci --omit=dev), the unprivileged user `matchkey`, /var/lib/matchkey (0700).
# Configuration comes at run time: mount the file at /etc/matchkey/matchkey.config.json and pass the secrets as
# environment variables (compose.yaml). Nothing secret is baked into the image.
FROM node:20-bookworm-slim

WORKDIR /src
COPY . .
RUN MATCHKEY_APP_DIR=/opt/matchkey MATCHKEY_DATA_DIR=/var/lib/matchkey MATCHKEY_CONFIG_DIR=/etc/matchkey \
      deploy/install.sh \
  # The generated environment file holds secrets: containers take theirs from the runtime environment instead.
  && rm -f /etc/matchkey/matchkey.env /etc/matchkey/matchkey.config.json \
  && rm -rf /src /root/.npm

WORKDIR /var/lib/matchkey
USER matchkey
ENV MATCHKEY_CONFIG=/etc/matchkey/matchkey.config.json NODE_ENV=production
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s CMD node -e "fetch('http://127.0.0.1:8080/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# SIGTERM drains (503 for new events, in-flight sends finish) within 30 s: compose's stop_grace_period is 40 s.
CMD ["node", "/opt/matchkey/bin/matchkey.js", "serve"]
