// particle-api-js's side of bench_sdk_stream: getEventStream against the bench's loopback
// server, counting events until it has them all. Prints {"events":n,"seconds":s}.
// Usage (NODE_PATH must reach particle-api-js): node sdk_stream.js URL EVENTS
'use strict';
const Particle = require('particle-api-js');

const [url, wanted] = [process.argv[2], Number(process.argv[3])];
const api = new Particle({ baseUrl: url });

(async () => {
    const start = process.hrtime.bigint();
    const stream = await api.getEventStream({ deviceId: 'mine', auth: 'bench-token' });
    let events = 0;
    await new Promise((resolve, reject) => {
        stream.on('event', () => {
            events += 1;
            if (events === wanted) resolve();
        });
        stream.on('error', reject);
    });
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    stream.abort();
    console.log(JSON.stringify({ events, seconds }));
    process.exit(0);
})().catch((err) => {
    console.error(err);
    process.exit(1);
});
