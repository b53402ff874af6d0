// particle-api-js 12 against particle-sim: webhooks and integrations (reference/cloud-api.md
// §10): createWebhook, listWebhooks, deleteWebhook, createIntegration, editIntegration,
// listIntegrations and deleteIntegration at user, product and organization scope, and a real
// delivery from the simulator to an HTTP listener this test runs on 127.0.0.1 (port 0).
// Run by run.sh, which starts the simulator and sets PARTICLE_SIM_URL. The integrations it
// creates are deleted at the end of each test, so other files see empty lists.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const http = require('node:http');
const querystring = require('node:querystring');
const Particle = require('particle-api-js');

const api = new Particle({ baseUrl: process.env.PARTICLE_SIM_URL });
const DEMO_TOKEN = '0123456789abcdef0123456789abcdef01234567';
const OTHER_TOKEN = 'fedcba9876543210fedcba9876543210fedcba98';

// A loopback listener that records each request (method, url, headers, body text).
async function startListener() {
    const requests = [];
    const waiters = [];
    const server = http.createServer((req, res) => {
        let body = '';
        req.on('data', (c) => { body += c; });
        req.on('end', () => {
            requests.push({ method: req.method, url: req.url, headers: req.headers, body });
            res.writeHead(200, { 'Content-Type': 'application/json' });
            res.end('{"reply":"thanks"}');
            waiters.splice(0).forEach((w) => w());
        });
    });
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${server.address().port}`;
    // Resolves with the first request that matches `pred`, or rejects after 10 s.
    function waitFor(pred) {
        return new Promise((resolve, reject) => {
            const deadline = setTimeout(() => reject(new Error('no matching delivery')), 10000);
            const check = () => {
                const found = requests.find(pred);
                if (found) {
                    clearTimeout(deadline);
                    resolve(found);
                } else {
                    waiters.push(check);
                }
            };
            check();
        });
    }
    return { url, requests, waitFor, close: () => new Promise((r) => server.close(r)) };
}

test('createWebhook, listWebhooks, a delivery of the default form body, deleteWebhook', async () => {
    const listener = await startListener();
    try {
        const created = await api.createWebhook({
            event: 'js-hook',
            url: `${listener.url}/hook`,
            auth: DEMO_TOKEN,
        });
        assert.equal(created.statusCode, 201);
        assert.equal(created.body.ok, true);
        assert.equal(created.body.event, 'js-hook');
        assert.equal(created.body.url, `${listener.url}/hook`);
        assert.match(created.body.id, /^[0-9a-f]{24}$/);
        assert.match(created.body.hookUrl, new RegExp(`/v1/webhooks/${created.body.id}$`));
        const id = created.body.id;

        const list = await api.listWebhooks({ auth: DEMO_TOKEN });
        assert.ok(Array.isArray(list.body));
        assert.ok(list.body.some((h) => h.id === id && h.requestType === 'POST'));
        const others = await api.listWebhooks({ auth: OTHER_TOKEN });
        assert.ok(!others.body.some((h) => h.id === id));

        await api.publishEvent({ name: 'js-hook-now', data: 'hello', isPrivate: true, auth: DEMO_TOKEN });
        const got = await listener.waitFor((r) => r.url === '/hook');
        assert.equal(got.method, 'POST');
        assert.match(got.headers['content-type'], /application\/x-www-form-urlencoded/);
        const form = querystring.parse(got.body);
        assert.equal(form.event, 'js-hook-now');
        assert.equal(form.data, 'hello');
        assert.equal(form.coreid, 'api');
        assert.ok(!Number.isNaN(Date.parse(form.published_at)));

        const deleted = await api.deleteWebhook({ hookId: id, auth: DEMO_TOKEN });
        assert.equal(deleted.statusCode, 204);
        const after = await api.listWebhooks({ auth: DEMO_TOKEN });
        assert.ok(!after.body.some((h) => h.id === id));
    } finally {
        await listener.close();
    }
});

test('createWebhook with a hook: json template, headers and a response topic', async () => {
    const listener = await startListener();
    try {
        const created = await api.createWebhook({
            event: 'js-json',
            url: `${listener.url}/json`,
            hook: {
                method: 'PUT',
                json: { value: '{{{PARTICLE_EVENT_VALUE}}}', device: '{{PARTICLE_DEVICE_ID}}' },
                headers: { 'X-Source': 'sim-{{PARTICLE_EVENT_NAME}}' },
                responseEvent: 'js-reply',
            },
            noDefaults: true,
            auth: DEMO_TOKEN,
        });
        assert.equal(created.statusCode, 201);
        await api.publishEvent({ name: 'js-json', data: 'a "quoted" value', isPrivate: true, auth: DEMO_TOKEN });
        const got = await listener.waitFor((r) => r.url === '/json');
        assert.equal(got.method, 'PUT');
        assert.equal(got.headers['x-source'], 'sim-js-json');
        assert.deepEqual(JSON.parse(got.body), { value: 'a "quoted" value', device: 'api' });
        await api.deleteWebhook({ hookId: created.body.id, auth: DEMO_TOKEN });
    } finally {
        await listener.close();
    }
});

test('createIntegration, editIntegration, listIntegrations, deleteIntegration (user)', async () => {
    const created = await api.createIntegration({
        event: 'js-int',
        settings: { integration_type: 'Webhook', url: 'http://127.0.0.1:9/int', requestType: 'POST' },
        deviceId: 'abc123',
        auth: DEMO_TOKEN,
    });
    assert.equal(created.statusCode, 201);
    assert.equal(created.body.integration_type, 'Webhook');
    assert.equal(created.body.deviceID, 'abc123');
    const id = created.body.id;

    const edited = await api.editIntegration({
        integrationId: id,
        event: 'js-int-2',
        settings: { url: 'http://127.0.0.1:9/edited', requestType: 'GET' },
        auth: DEMO_TOKEN,
    });
    assert.equal(edited.statusCode, 200);
    assert.equal(edited.body.integration.event, 'js-int-2');
    assert.equal(edited.body.integration.url, 'http://127.0.0.1:9/edited');
    assert.equal(edited.body.integration.requestType, 'GET');
    assert.equal(edited.body.integration.deviceID, undefined); // replaced, not merged

    const list = await api.listIntegrations({ auth: DEMO_TOKEN });
    const found = list.body.find((h) => h.id === id);
    assert.equal(found.event, 'js-int-2');
    assert.equal(found.integration_type, 'Webhook');

    const deleted = await api.deleteIntegration({ integrationId: id, auth: DEMO_TOKEN });
    assert.equal(deleted.statusCode, 204);
    await assert.rejects(api.deleteIntegration({ integrationId: id, auth: DEMO_TOKEN }),
        (err) => err.statusCode === 404);
});

test('integrations of a product and of an organization; bad input is 400', async () => {
    const settings = { integration_type: 'Webhook', url: 'http://127.0.0.1:9/p' };
    const p = await api.createIntegration({ event: 'js-p', settings, product: 'asset-tracker', auth: DEMO_TOKEN });
    assert.equal(p.statusCode, 201);
    const plist = await api.listIntegrations({ product: 10001, auth: DEMO_TOKEN });
    assert.deepEqual(plist.body.map((h) => h.id), [p.body.id]);
    await assert.rejects(api.listIntegrations({ product: 'asset-tracker', auth: OTHER_TOKEN }),
        (err) => err.statusCode === 403);
    const o = await api.createIntegration({ event: 'js-o', settings, org: 'acme', auth: DEMO_TOKEN });
    const olist = await api.listIntegrations({ org: 'acme', auth: DEMO_TOKEN });
    assert.deepEqual(olist.body.map((h) => h.id), [o.body.id]);
    await api.deleteIntegration({ integrationId: p.body.id, product: 'asset-tracker', auth: DEMO_TOKEN });
    await api.deleteIntegration({ integrationId: o.body.id, org: 'acme', auth: DEMO_TOKEN });

    await assert.rejects(api.createIntegration({
        event: 'js-bad', settings: { url: 'ftp://127.0.0.1/' }, auth: DEMO_TOKEN,
    }), (err) => err.statusCode === 400 && /url/.test(err.body.error));
    await assert.rejects(api.createWebhook({
        event: 'js-bad', url: 'http://127.0.0.1/', hook: { body: '{{#s}}x{{/s}}' }, auth: DEMO_TOKEN,
    }), (err) => err.statusCode === 400 && /template/.test(err.body.error));
});
