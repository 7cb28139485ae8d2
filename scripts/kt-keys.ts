// `npm run kt:keys`: a new key-transparency log key and VRF key for production (ADR 0060), as the two
// lines to put in the environment. The log key's name is APP_URL's host + /kt, so set APP_URL first.
// Keep both for the life of the deployment: a new log key starts a log no client will accept.
import { generateTransparencyKeys } from "../lib/transparency/local-keys";

const keys = generateTransparencyKeys({ APP_URL: process.env.APP_URL });
console.log(`KT_LOG_KEY=${keys.KT_LOG_KEY}\nKT_VRF_KEY=${keys.KT_VRF_KEY}`);
