// Follows a hub's GrowthBook payload with the official JavaScript SDK, as a
// front-end would: streaming on, evaluating one feature for a few users.
//
//   node follow.mjs '{"apiHost": "http://127.0.0.1:8000", "clientKey": "chk_…",
//                     "feature": "offer.spring", "users": {"kim": {"id": "u1"}},
//                     "decryptionKey": "…optional…"}'
//
// Prints one JSON line {"source", "values": {user: value}} after init and
// again whenever an update changed any value; runs until it is killed.
import { GrowthBook, setPolyfills } from "@growthbook/growthbook";
import { EventSource } from "eventsource";

setPolyfills({ EventSource });

const config = JSON.parse(process.argv[2]);
const instances = Object.entries(config.users).map(([name, attributes]) => [
  name,
  new GrowthBook({
    apiHost: config.apiHost,
    clientKey: config.clientKey,
    decryptionKey: config.decryptionKey,
    attributes,
  }),
]);

let last = null;
function report(source) {
  const values = Object.fromEntries(
    instances.map(([name, gb]) => [name, gb.getFeatureValue(config.feature, null)]),
  );
  const text = JSON.stringify(values);
  if (text === last) return;
  last = text;
  process.stdout.write(JSON.stringify({ source, values }) + "\n");
}

for (const [, gb] of instances) {
  const result = await gb.init({ streaming: true, timeout: 10000 });
  if (!result.success) {
    process.stderr.write(`init failed: ${result.source} ${result.error}\n`);
  }
}
report("init");
for (const [, gb] of instances) gb.setRenderer(() => report("update"));
setInterval(() => {}, 1 << 30); // keep running until killed
