// particle-api-js 12 against particle-sim: the official client must accept the simulator
// unchanged. Run by run.sh, which starts the simulator and sets PARTICLE_SIM_URL.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const Particle = require('particle-api-js');

const baseUrl = process.env.PARTICLE_SIM_URL;
const api = new Particle({ baseUrl });
const DEMO = { username: 'demo@example.com', password: 'demo-password' };
const DEMO_TOKEN = '0123456789abcdef0123456789abcdef01234567';

// Resolves to the first event the stream delivers that passes `accept`, or rejects.
function nextEvent(stream, accept, timeoutMs) {
    return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no matching event')), timeoutMs);
        stream.on('event', (ev) => {
            if (accept(ev)) {
                clearTimeout(timer);
                resolve(ev);
            }
        });
    });
}

async function firstOnlineDeviceWith(auth, predicate) {
    const { body } = await api.listDevices({ auth });
    for (const d of body) {
        if (!d.online) continue;
        const full = (await api.getDevice({ deviceId: d.id, auth })).body;
        if (predicate(full)) return full;
    }
    throw new Error('no online device matches');
}

test('login with password returns a bearer token', async () => {
    const res = await api.login(DEMO);
    assert.equal(res.statusCode, 200);
    assert.match(res.body.access_token, /^[0-9a-f]{40}$/);
    assert.equal(res.body.token_type, 'bearer');
    assert.equal(typeof res.body.expires_in, 'number');
    assert.ok(res.body.refresh_token);
});

test('login with a bad password is 400 invalid_grant', async () => {
    await assert.rejects(api.login({ username: DEMO.username, password: 'wrong' }), (err) => {
        assert.equal(err.statusCode, 400);
        assert.equal(err.body.error, 'invalid_grant');
        return true;
    });
});

test('listDevices and getDevice return full device objects', async () => {
    const { body, statusCode } = await api.listDevices({ auth: DEMO_TOKEN });
    assert.equal(statusCode, 200);
    assert.ok(Array.isArray(body) && body.length > 0);
    for (const d of body) {
        assert.match(d.id, /^[0-9a-f]{24}$/);
        assert.equal(typeof d.online, 'boolean');
        assert.equal(d.connected, d.online);
    }
    const dev = (await api.getDevice({ deviceId: body[0].id, auth: DEMO_TOKEN })).body;
    assert.equal(dev.id, body[0].id);
    assert.ok(Array.isArray(dev.functions));
    assert.equal(typeof dev.variables, 'object');
    // By name as well as by id.
    const byName = (await api.getDevice({ deviceId: body[0].name, auth: DEMO_TOKEN })).body;
    assert.equal(byName.id, body[0].id);
});

test('getVariable keeps the variable type', async () => {
    const dev = await firstOnlineDeviceWith(DEMO_TOKEN, (d) => Object.keys(d.variables).length > 0);
    for (const [name, type] of Object.entries(dev.variables)) {
        const { body } = await api.getVariable({ deviceId: dev.id, name, auth: DEMO_TOKEN });
        assert.equal(body.name, name);
        const expected = { int32: 'number', double: 'number', string: 'string', bool: 'boolean' }[type];
        assert.equal(typeof body.result, expected, `${name} (${type})`);
        assert.equal(body.coreInfo.deviceID, dev.id);
    }
});

test('callFunction returns return_value', async () => {
    const dev = await firstOnlineDeviceWith(DEMO_TOKEN, (d) => d.functions.length > 0);
    const res = await api.callFunction({
        deviceId: dev.id, name: dev.functions[0], argument: '1', auth: DEMO_TOKEN,
    });
    assert.equal(res.statusCode, 200);
    assert.equal(typeof res.body.return_value, 'number');
    assert.equal(res.body.id, dev.id);
});

test('getEventStream receives a published event and a simulated one', async () => {
    const stream = await api.getEventStream({ deviceId: 'mine', auth: DEMO_TOKEN });
    try {
        const name = `interop-${process.pid}`;
        const published = nextEvent(stream, (ev) => ev.name === name, 5000);
        // Give the stream a moment: particle-api-js attaches its listener after connect.
        await new Promise((r) => setTimeout(r, 200));
        const res = await api.publishEvent({ name, data: 'hello', isPrivate: true, auth: DEMO_TOKEN });
        assert.equal(res.body.ok, true);
        const ev = await published;
        assert.equal(ev.data, 'hello');
        assert.ok(ev.published_at);
        // Simulated devices publish on their own schedule.
        const simulated = await nextEvent(stream, (ev2) => /^[0-9a-f]{24}$/.test(ev2.coreid || ''), 15000);
        assert.ok(simulated.name.length > 0);
    } finally {
        stream.abort();
    }
});

test('renameDevice changes the name', async () => {
    const { body } = await api.listDevices({ auth: DEMO_TOKEN });
    const dev = body[body.length - 1];
    const newName = `renamed_${process.pid}`;
    const res = await api.renameDevice({ deviceId: dev.id, name: newName, auth: DEMO_TOKEN });
    assert.equal(res.body.name, newName);
    const again = (await api.getDevice({ deviceId: newName, auth: DEMO_TOKEN })).body;
    assert.equal(again.id, dev.id);
    await api.renameDevice({ deviceId: dev.id, name: dev.name, auth: DEMO_TOKEN });
});

test('product listDevices pages through the fleet', async () => {
    const product = process.env.PARTICLE_SIM_PRODUCT || 'env-sensors';
    const first = (await api.listDevices({ product, page: 1, perPage: 10, auth: DEMO_TOKEN })).body;
    assert.ok(first.meta.total_pages >= 2, 'a product with more than one page');
    assert.equal(first.devices.length, 10);
    const seen = new Set();
    for (let page = 1; page <= first.meta.total_pages; page++) {
        const { body } = await api.listDevices({ product, page, perPage: 10, auth: DEMO_TOKEN });
        body.devices.forEach((d) => seen.add(d.id));
    }
    assert.ok(seen.size > 10);
});

test('a bad token is 401', async () => {
    await assert.rejects(api.listDevices({ auth: 'f'.repeat(40) }), (err) => {
        assert.equal(err.statusCode, 401);
        assert.equal(err.body.error, 'invalid_token');
        return true;
    });
});

test('an unknown variable is 404', async () => {
    const dev = await firstOnlineDeviceWith(DEMO_TOKEN, () => true);
    await assert.rejects(api.getVariable({ deviceId: dev.id, name: 'no_such_var', auth: DEMO_TOKEN }),
        (err) => err.statusCode === 404);
});

test('an unknown device is 403 Permission Denied', async () => {
    await assert.rejects(api.getDevice({ deviceId: 'ffffffffffffffffffffffff', auth: DEMO_TOKEN }),
        (err) => {
            assert.equal(err.statusCode, 403);
            assert.equal(err.body.error, 'Permission Denied');
            return true;
        });
});

test('deleteCurrentAccessToken revokes the token', async () => {
    const token = (await api.login(DEMO)).body.access_token;
    await api.listDevices({ auth: token });
    const res = await api.deleteCurrentAccessToken({ auth: token });
    assert.equal(res.body.ok, true);
    await assert.rejects(api.listDevices({ auth: token }), (err) => err.statusCode === 401);
});

test('listSIMs, checkSIM and getSIMDataUsage accept the SIM routes', async () => {
    const { body } = await api.listSIMs({ auth: DEMO_TOKEN });
    assert.ok(Array.isArray(body.sims) && body.sims.length > 0);
    const sim = body.sims[0];
    assert.match(sim.iccid, /^[0-9]{19,20}$/);
    assert.equal(sim._id, sim.iccid);
    assert.ok(['active', 'inactive', 'deactivated'].includes(sim.status));
    // checkSIM resolves only on 204 (a 200 without a JSON body would reject)
    const check = await api.checkSIM({ iccid: sim.iccid, auth: DEMO_TOKEN });
    assert.equal(check.statusCode, 204);
    const usage = (await api.getSIMDataUsage({ iccid: sim.iccid, auth: DEMO_TOKEN })).body;
    assert.equal(usage.iccid, sim.iccid);
    assert.ok(usage.usage_by_day.length >= 1);
    for (const day of usage.usage_by_day) {
        assert.match(day.date, /^\d{4}-\d{2}-\d{2}$/);
        assert.equal(typeof day.mbs_used, 'number');
    }
    const fleet = (await api.getFleetDataUsage({ product: 'asset-tracker', auth: DEMO_TOKEN })).body;
    assert.equal(typeof fleet.total_mbs_used, 'number');
    const page = (await api.listSIMs({ product: 'asset-tracker', page: 1, perPage: 5,
        auth: DEMO_TOKEN })).body;
    assert.equal(page.sims.length, 5);
    assert.ok(page.meta.total_pages >= 2);
    await assert.rejects(api.checkSIM({ iccid: '89000000000000000000', auth: DEMO_TOKEN }),
        (err) => err.statusCode === 404);
});
