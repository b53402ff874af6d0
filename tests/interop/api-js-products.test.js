// particle-api-js 12 against particle-sim: products, team, customers and OAuth clients
// (reference/cloud-api.md §4.7, §9.1-9.4). Run by run.sh, which starts the simulator (default
// fleet) and sets PARTICLE_SIM_URL. Other *.test.js files share the simulator: this file
// changes only what it creates, and puts the team back as it found it.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const Particle = require('particle-api-js');

const baseUrl = process.env.PARTICLE_SIM_URL;
const api = new Particle({ baseUrl });
const DEMO_TOKEN = '0123456789abcdef0123456789abcdef01234567';
const OTHER_TOKEN = 'fedcba9876543210fedcba9876543210fedcba98';
const PRODUCT = 'asset-tracker';

// Asserts that `promise` rejects with HTTP `status` and a JSON error body.
async function rejectsWith(promise, status) {
    await assert.rejects(promise, (err) => {
        assert.equal(err.statusCode, status);
        assert.equal(typeof err.body.error, 'string');
        return true;
    });
}

function assertProductShape(p) {
    assert.equal(typeof p.id, 'number');
    assert.equal(typeof p.platform_id, 'number');
    assert.equal(typeof p.name, 'string');
    assert.match(p.slug, /^[a-z0-9-]+$/);
    assert.equal(typeof p.description, 'string');
    assert.ok(Array.isArray(p.groups));
    assert.equal(typeof p.settings, 'object');
    assert.equal(typeof p.device_count, 'number');
}

test('listProducts lists the products of the teams the user is on', async () => {
    const { statusCode, body } = await api.listProducts({ auth: DEMO_TOKEN });
    assert.equal(statusCode, 200);
    assert.deepEqual(body.products.map((p) => p.slug).sort(), ['asset-tracker', 'env-sensors']);
    body.products.forEach(assertProductShape);
    const none = (await api.listProducts({ auth: OTHER_TOKEN })).body;
    assert.deepEqual(none.products, []);
});

test('getProduct by id and by slug', async () => {
    const bySlug = (await api.getProduct({ product: PRODUCT, auth: DEMO_TOKEN })).body.product;
    assertProductShape(bySlug);
    assert.equal(bySlug.slug, PRODUCT);
    assert.match(bySlug.organization, /^[0-9a-f]{24}$/);
    const byId = (await api.getProduct({ product: bySlug.id, auth: DEMO_TOKEN })).body.product;
    assert.equal(byId.id, bySlug.id);
    await rejectsWith(api.getProduct({ product: PRODUCT, auth: OTHER_TOKEN }), 403);
    await rejectsWith(api.getProduct({ product: 'no-such-product', auth: DEMO_TOKEN }), 404);
});

test('listTeamMembers, inviteTeamMember and removeTeamMember', async () => {
    const listed = (await api.listTeamMembers({ product: PRODUCT, auth: DEMO_TOKEN })).body;
    assert.equal(listed.ok, true);
    for (const m of listed.team) {
        assert.equal(typeof m.username, 'string');
        assert.equal(typeof m.role.name, 'string');
    }
    assert.ok(listed.team.some((m) => m.username === 'demo@example.com'));
    const invited = await api.inviteTeamMember({
        product: PRODUCT, username: 'other@example.com', auth: DEMO_TOKEN });
    assert.equal(invited.statusCode, 200);
    assert.equal(invited.body.invited.username, 'other@example.com');
    try {
        // the new member's token reaches the product
        const product = (await api.getProduct({ product: PRODUCT, auth: OTHER_TOKEN })).body;
        assert.equal(product.product.slug, PRODUCT);
        await rejectsWith(api.inviteTeamMember({
            product: PRODUCT, username: 'other@example.com', auth: DEMO_TOKEN }), 409);
    } finally {
        const removed = await api.removeTeamMember({
            product: PRODUCT, username: 'other@example.com', auth: DEMO_TOKEN });
        assert.equal(removed.body.ok, true);
    }
    await rejectsWith(api.getProduct({ product: PRODUCT, auth: OTHER_TOKEN }), 403);
    await rejectsWith(api.removeTeamMember({
        product: PRODUCT, username: 'other@example.com', auth: DEMO_TOKEN }), 404);
    await rejectsWith(api.inviteTeamMember({
        product: PRODUCT, username: 'nobody@example.com', auth: DEMO_TOKEN }), 404);
});

test('createCustomer with the product client credentials gives a customer token', async () => {
    const withClient = new Particle({
        baseUrl, clientId: 'asset-tracker-client', clientSecret: 'asset-tracker-secret' });
    const { statusCode, body } = await withClient.createCustomer({
        email: 'interop-customer@example.com', password: 'interop-pw', product: PRODUCT });
    assert.equal(statusCode, 201);
    assert.equal(body.token_type, 'bearer');
    assert.match(body.access_token, /^[0-9a-f]{40}$/);
    assert.ok(body.refresh_token);
    assert.equal(body.expires_in, 7776000);
    // a customer sees its own (no) devices and nothing of the product API
    const devices = (await api.listDevices({ auth: body.access_token })).body;
    assert.deepEqual(devices, []);
    await rejectsWith(api.listDevices({ product: PRODUCT, auth: body.access_token }), 403);
    await rejectsWith(withClient.createCustomer({
        email: 'interop-customer@example.com', password: 'x', product: PRODUCT }), 409);
    const wrong = new Particle({ baseUrl, clientId: 'asset-tracker-client', clientSecret: 'no' });
    await rejectsWith(wrong.createCustomer({
        email: 'someone@example.com', password: 'x', product: PRODUCT }), 401);
    // the customer can log in with the password it was created with
    const login = await api.login({ username: 'interop-customer@example.com', password: 'interop-pw' });
    assert.match(login.body.access_token, /^[0-9a-f]{40}$/);
});

test('OAuth clients of a user: list, create, update, delete', async () => {
    const before = (await api.listOAuthClients({ auth: DEMO_TOKEN })).body;
    assert.equal(before.ok, true);
    assert.ok(before.clients.some((c) => c.id === 'demo-client'));
    for (const c of before.clients) assert.equal(c.secret, undefined);
    const created = (await api.createOAuthClient({
        name: 'Interop App', type: 'installed', auth: DEMO_TOKEN })).body;
    assert.equal(created.ok, true);
    assert.equal(created.client.name, 'Interop App');
    assert.equal(created.client.type, 'installed');
    assert.match(created.client.id, /^interopapp-\d{4}$/);
    assert.match(created.client.secret, /^[0-9a-f]{40}$/);
    const updated = (await api.updateOAuthClient({
        clientId: created.client.id, name: 'Interop App 2', scope: 'customers:create',
        auth: DEMO_TOKEN })).body;
    assert.equal(updated.client.name, 'Interop App 2');
    assert.equal(updated.client.scope, 'customers:create');
    assert.equal(updated.client.secret, undefined);
    const deleted = await api.deleteOAuthClient({ clientId: created.client.id, auth: DEMO_TOKEN });
    assert.equal(deleted.statusCode, 204);
    const after = (await api.listOAuthClients({ auth: DEMO_TOKEN })).body;
    assert.ok(!after.clients.some((c) => c.id === created.client.id));
    await rejectsWith(api.deleteOAuthClient({ clientId: created.client.id, auth: DEMO_TOKEN }), 404);
    await rejectsWith(api.createOAuthClient({ name: 'x', type: 'bogus', auth: DEMO_TOKEN }), 400);
});

test('OAuth clients of a product: a web client and its client_credentials login', async () => {
    const listed = (await api.listOAuthClients({ product: PRODUCT, auth: DEMO_TOKEN })).body;
    assert.ok(listed.clients.some((c) => c.id === 'asset-tracker-client'));
    const created = (await api.createOAuthClient({
        name: 'Interop Web', type: 'web', redirect_uri: 'https://example.com/callback',
        product: PRODUCT, auth: DEMO_TOKEN })).body.client;
    assert.equal(created.redirect_uri, 'https://example.com/callback');
    const product = (await api.getProduct({ product: PRODUCT, auth: DEMO_TOKEN })).body.product;
    assert.equal(created.product_id, product.id);
    const asClient = new Particle({ baseUrl, clientId: created.id, clientSecret: created.secret });
    const token = (await asClient.loginAsClientOwner()).body.access_token;
    const devices = (await api.listDevices({ product: PRODUCT, auth: token })).body;
    assert.ok(devices.devices.length > 0);
    const updated = (await api.updateOAuthClient({
        clientId: created.id, name: 'Interop Web 2', product: PRODUCT, auth: DEMO_TOKEN })).body;
    assert.equal(updated.client.name, 'Interop Web 2');
    const deleted = await api.deleteOAuthClient({
        clientId: created.id, product: PRODUCT, auth: DEMO_TOKEN });
    assert.equal(deleted.statusCode, 204);
    // its tokens went with it
    await rejectsWith(api.listDevices({ product: PRODUCT, auth: token }), 401);
    await rejectsWith(api.listOAuthClients({ product: PRODUCT, auth: OTHER_TOKEN }), 403);
});
