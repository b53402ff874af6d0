// particle-api-js 12 against particle-sim: the methods no other interop file calls, so that
// every method docs/COMPATIBILITY.md maps to a particle-sim route is driven by the real client
// (client-credential logins, customer creation, token deletion, claiming and releasing a
// device, the device update helpers, the manufacturing backup and SIM release).
// Run by run.sh, which starts the simulator and sets PARTICLE_SIM_URL. Other files share the
// simulator: these tests change only tracker-2, tracker-3 and tracker-6, and the users and
// customers they create.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const Particle = require('particle-api-js');

const baseUrl = process.env.PARTICLE_SIM_URL;
const api = new Particle({ baseUrl });
const DEMO_TOKEN = '0123456789abcdef0123456789abcdef01234567';
const PRODUCT = 'asset-tracker';

async function productDevice(name) {
    const { body } = await api.listDevices({ product: PRODUCT, deviceName: name, auth: DEMO_TOKEN });
    const device = body.devices.find((d) => d.name === name);
    assert.ok(device, `${name} is in the default fleet`);
    return (await api.getDevice({ deviceId: device.id, product: PRODUCT, auth: DEMO_TOKEN })).body;
}

async function refusedWith(promise, status) {
    await assert.rejects(promise, (err) => {
        assert.equal(err.statusCode, status);
        return true;
    });
}

test('loginAsClientOwner: an OAuth client\'s credentials give its owner a token', async () => {
    const owner = new Particle({ baseUrl, clientId: 'demo-client', clientSecret: 'demo-client-secret' });
    const { body } = await owner.loginAsClientOwner();
    assert.equal(typeof body.access_token, 'string');
    const devices = (await api.listDevices({ auth: body.access_token })).body;
    assert.ok(devices.some((d) => d.name === 'demo-argon-1'));
    const wrong = new Particle({ baseUrl, clientId: 'demo-client', clientSecret: 'not-the-secret' });
    await refusedWith(wrong.loginAsClientOwner(), 401);
});

test('createCustomer: a product client creates a customer and gets its token', async () => {
    const client = new Particle({
        baseUrl, clientId: 'asset-tracker-client', clientSecret: 'asset-tracker-secret',
    });
    const email = 'compat-customer@example.com';
    const { body } = await client.createCustomer({ email, password: 'compat-pass-1', product: PRODUCT });
    assert.equal(typeof body.access_token, 'string');
    const customers = (await api.get({ uri: `/v1/products/${PRODUCT}/customers`, auth: DEMO_TOKEN })).body;
    assert.ok(customers.customers.some((c) => c.username === email));
    await refusedWith(client.createCustomer({ email, password: 'compat-pass-1', product: PRODUCT }), 409);
});

test('deleteAccessToken and deleteActiveAccessTokens end tokens', async () => {
    const user = { username: 'compat-tokens@example.com', password: 'compat-tokens-pass' };
    await api.createUser(user);
    const first = (await api.login(user)).body.access_token;
    const second = (await api.login(user)).body.access_token;
    const third = (await api.login(user)).body.access_token;
    assert.equal((await api.deleteAccessToken({ token: first })).body.ok, true);
    await refusedWith(api.listDevices({ auth: first }), 401);
    await api.listDevices({ auth: second });
    assert.equal((await api.deleteActiveAccessTokens({ auth: second })).body.ok, true);
    await refusedWith(api.listDevices({ auth: second }), 401);
    await refusedWith(api.listDevices({ auth: third }), 401);
});

test('claimDevice, then removeDeviceOwner releases it again', async () => {
    const device = await productDevice('tracker-2');
    assert.equal(device.owner, undefined);
    const claimed = (await api.claimDevice({ deviceId: device.id, auth: DEMO_TOKEN })).body;
    assert.equal(claimed.ok, true);
    assert.equal((await productDevice('tracker-2')).owner, 'demo@example.com');
    const other = 'fedcba9876543210fedcba9876543210fedcba98';
    await refusedWith(api.claimDevice({ deviceId: device.id, auth: other }), 403);
    await api.removeDeviceOwner({ deviceId: device.id, product: PRODUCT, auth: DEMO_TOKEN });
    assert.equal((await productDevice('tracker-2')).owner, undefined);
    await refusedWith(api.claimDevice({ deviceId: '000000000000000000000000', auth: DEMO_TOKEN }), 404);
});

test('updateDevice, setDeviceNotes and signalDevice change a product device', async () => {
    const device = await productDevice('tracker-3');
    const updated = (await api.updateDevice({
        deviceId: device.id, product: PRODUCT, notes: 'compat: first', development: true,
        auth: DEMO_TOKEN,
    })).body;
    assert.equal(updated.notes, 'compat: first');
    let now = await productDevice('tracker-3');
    assert.equal(now.notes, 'compat: first');
    assert.equal(now.development, true);
    await api.setDeviceNotes({ deviceId: device.id, product: PRODUCT, notes: 'compat: second', auth: DEMO_TOKEN });
    now = await productDevice('tracker-3');
    assert.equal(now.notes, 'compat: second');
    const signalled = (await api.signalDevice({ deviceId: device.id, product: PRODUCT, signal: true,
        auth: DEMO_TOKEN })).body;
    assert.equal(signalled.signaling, true);
    await api.signalDevice({ deviceId: device.id, product: PRODUCT, signal: false, auth: DEMO_TOKEN });
});

test('downloadManufacturingBackup: the simulator has no backups (404)', async () => {
    const device = await productDevice('tracker-6');
    await refusedWith(api.downloadManufacturingBackup({ deviceId: device.id, auth: DEMO_TOKEN }), 404);
});

test('removeSIM releases a product SIM; then it is gone', async () => {
    const device = await productDevice('tracker-6');
    assert.match(device.iccid, /^[0-9]{19,20}$/);
    const res = await api.removeSIM({ iccid: device.iccid, product: PRODUCT, auth: DEMO_TOKEN });
    assert.ok([202, 204].includes(res.statusCode));
    await refusedWith(api.removeSIM({ iccid: device.iccid, product: PRODUCT, auth: DEMO_TOKEN }), 404);
});
