// Fixed loopback ports for the e2e run, overridable when they clash with something local.
const base = Number(process.env.E2E_BASE_PORT ?? 3100);

export const e2ePorts = {
  app: base,
  smtp: base + 1,
  sms: base + 2,
  capture: base + 3,
};

export const e2eBaseUrl = `http://127.0.0.1:${e2ePorts.app}`;
export const captureUrl = `http://127.0.0.1:${e2ePorts.capture}`;
