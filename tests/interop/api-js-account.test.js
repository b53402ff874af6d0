// particle-api-js 12 against particle-sim: the account (createUser, getUserInfo, setUserInfo,
// changeUsername, changeUserPassword, resetPassword, trackingIdentity, deleteUser), MFA with
// real TOTP codes (enableMfa, confirmMfa, login -> mfa_required -> sendOtp, disableMfa), and
// provisioning (provisionDevice, sendPublicKey, unprotectDevice with a device key made here)
// (reference/cloud-api.md §4.1, §4.9, §5.10, §5.12, §11). Documented errors are checked too.
// Run by run.sh, which starts the simulator and sets PARTICLE_SIM_URL. Other files share the
// simulator: these tests sign up their own users and provision their own device.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const Particle = require('particle-api-js');

const api = new Particle({ baseUrl: process.env.PARTICLE_SIM_URL });
const DEMO_TOKEN = '0123456789abcdef0123456789abcdef01234567';
const PRODUCT_ID = 10001; // asset-tracker

async function rejectsWith(promise, status, error) {
    await assert.rejects(promise, (err) => {
        assert.equal(err.statusCode, status);
        assert.equal(typeof err.body.error, 'string');
        if (error) {
            assert.equal(err.body.error, error);
        }
        return true;
    });
}

// RFC 6238 TOTP (SHA-1, 6 digits, 30 s), as an authenticator app computes it.
function totp(secret, atMs = Date.now()) {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
    let bits = '';
    for (const ch of secret.replace(/=+$/, '')) {
        bits += alphabet.indexOf(ch.toUpperCase()).toString(2).padStart(5, '0');
    }
    const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
    const counter = Buffer.alloc(8);
    counter.writeBigUInt64BE(BigInt(Math.floor(atMs / 30000)));
    const mac = crypto.createHmac('sha1', key).update(counter).digest();
    const off = mac[mac.length - 1] & 0x0f;
    const code = (mac.readUInt32BE(off) & 0x7fffffff) % 1000000;
    return String(code).padStart(6, '0');
}

async function signUp(username, password) {
    const { body, statusCode } = await api.createUser({
        username, password, accountInfo: { first_name: 'Interop', last_name: 'Test' },
    });
    assert.equal(statusCode, 200);
    assert.equal(body.ok, true);
    return (await api.login({ username, password })).body.access_token;
}

test('createUser, getUserInfo, setUserInfo, trackingIdentity, resetPassword', async () => {
    const auth = await signUp('js-account@example.com', 'js-pw-1');
    await rejectsWith(api.createUser({ username: 'js-account@example.com', password: 'x' }), 409);
    await rejectsWith(api.createUser({ username: 'not-an-email', password: 'x' }), 400);

    const me = (await api.getUserInfo({ auth })).body;
    assert.equal(me.username, 'js-account@example.com');
    assert.deepEqual(me.mfa, { enabled: false });
    assert.equal(me.account_info.first_name, 'Interop');
    for (const key of ['scim_provisioned', 'no_password']) {
        assert.equal(typeof me[key], 'boolean');
    }
    for (const key of ['wifi_device_count', 'cellular_device_count', 'tos']) {
        assert.equal(typeof me[key], 'number');
    }
    assert.ok(Array.isArray(me.memberships));

    const set = await api.setUserInfo({ accountInfo: { company_name: 'Acme', business_account: true }, auth });
    assert.equal(set.body.account_info.company_name, 'Acme');
    assert.equal(set.body.account_info.business_account, true);
    assert.equal(set.body.account_info.last_name, 'Test');
    await rejectsWith(api.setUserInfo({ accountInfo: 'flat', auth }), 400);

    const id = (await api.trackingIdentity({ auth })).body;
    assert.equal(id.email, 'js-account@example.com');
    assert.match(id.id, /^[0-9a-f]{24}$/);
    assert.deepEqual((await api.trackingIdentity({ full: true, auth })).body, id);

    const reset = await api.resetPassword({ username: 'js-account@example.com' });
    assert.deepEqual(reset.body, { ok: true, message: 'Password reset email sent.' });
});

test('changeUsername, changeUserPassword and deleteUser need the current password', async () => {
    let auth = await signUp('js-rename@example.com', 'js-pw-1');
    await rejectsWith(api.changeUserPassword({ currentPassword: 'wrong', password: 'js-pw-2', auth }), 403);
    const pw = await api.changeUserPassword({ currentPassword: 'js-pw-1', password: 'js-pw-2', auth });
    assert.deepEqual(pw.body, { ok: true, message: "User's password updated." });
    await rejectsWith(api.login({ username: 'js-rename@example.com', password: 'js-pw-1' }), 400, 'invalid_grant');
    await rejectsWith(api.changeUsername({ currentPassword: 'js-pw-2', username: 'demo@example.com', auth }), 409);
    const other = (await api.login({ username: 'js-rename@example.com', password: 'js-pw-2' })).body.access_token;
    await api.changeUsername({
        currentPassword: 'js-pw-2', username: 'js-renamed@example.com', invalidateTokens: true, auth,
    });
    await rejectsWith(api.getUserInfo({ auth: other }), 401, 'invalid_token'); // invalidated
    assert.equal((await api.getUserInfo({ auth })).body.username, 'js-renamed@example.com');

    await rejectsWith(api.deleteUser({ password: 'js-pw-1', auth }), 403);
    const gone = await api.deleteUser({ password: 'js-pw-2', auth });
    assert.deepEqual(gone.body, { ok: true, message: "User's account has been deleted." });
    await rejectsWith(api.getUserInfo({ auth }), 401);
    auth = null;
});

test('MFA: enableMfa, confirmMfa with a TOTP code, login + sendOtp, disableMfa', async () => {
    const username = 'js-mfa@example.com';
    const auth = await signUp(username, 'js-pw');
    const enrol = (await api.enableMfa({ auth })).body;
    assert.equal(typeof enrol.mfa_token, 'string');
    assert.match(enrol.secret, /^[A-Z2-7]{32}$/);
    assert.ok(enrol.qr_url.startsWith('otpauth://totp/'));
    assert.ok(enrol.qr_url.includes(`secret=${enrol.secret}`));
    await rejectsWith(api.confirmMfa({ mfaToken: 'nope', otp: totp(enrol.secret), auth }), 400);
    const now = Date.now();
    const confirmed = (await api.confirmMfa({ mfaToken: enrol.mfa_token, otp: totp(enrol.secret, now), auth })).body;
    assert.equal(confirmed.enrolled, true);
    assert.equal((await api.getUserInfo({ auth })).body.mfa.enabled, true);
    await rejectsWith(api.enableMfa({ auth }), 409);

    let challenge;
    await assert.rejects(api.login({ username, password: 'js-pw' }), (err) => {
        assert.equal(err.statusCode, 403);
        assert.equal(err.body.error, 'mfa_required');
        challenge = err.body.mfa_token;
        return true;
    });
    // the code that confirmed is spent; the next step's code (one step of drift) logs in
    await rejectsWith(api.sendOtp({ mfaToken: challenge, otp: totp(enrol.secret, now) }), 400, 'invalid_grant');
    const login = await api.sendOtp({ mfaToken: challenge, otp: totp(enrol.secret, now + 30000) });
    assert.equal(login.body.token_type, 'bearer');
    assert.match(login.body.access_token, /^[0-9a-f]{40}$/);

    await rejectsWith(api.disableMfa({ currentPassword: 'wrong', auth }), 403);
    await api.disableMfa({ currentPassword: 'js-pw', auth });
    assert.equal((await api.getUserInfo({ auth })).body.mfa.enabled, false);
    assert.ok((await api.login({ username, password: 'js-pw' })).body.access_token);
});

test('provisionDevice, sendPublicKey and the unprotectDevice handshake', async () => {
    const made = (await api.provisionDevice({ productId: PRODUCT_ID, auth: DEMO_TOKEN })).body;
    assert.match(made.id, /^[0-9a-f]{24}$/);
    const deviceId = made.id;
    await rejectsWith(api.provisionDevice({ productId: 99999, auth: DEMO_TOKEN }), 404);

    const { publicKey, privateKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const pem = publicKey.export({ type: 'spki', format: 'pem' });
    await rejectsWith(api.sendPublicKey({ deviceId, key: 'not a key', algorithm: 'ecc', auth: DEMO_TOKEN }), 400);
    await rejectsWith(api.sendPublicKey({ deviceId, key: pem, auth: DEMO_TOKEN }), 400); // rsa by default
    assert.equal((await api.sendPublicKey({ deviceId, key: pem, algorithm: 'ecc', auth: DEMO_TOKEN })).body.ok, true);

    const device = async () => (await api.getDevice({ deviceId, auth: DEMO_TOKEN })).body;
    assert.deepEqual((await device()).device_protection, { status: 'disabled' });
    await rejectsWith(api.unprotectDevice({ deviceId, action: 'prepare', auth: DEMO_TOKEN }), 400);
    await api.put({ uri: `/sim/devices/${deviceId}/protection`, data: { status: 'active' }, auth: DEMO_TOKEN });
    assert.deepEqual((await device()).device_protection, { status: 'active' });

    // particle-cli's device-protection-helper.js, with the device's part done here
    const prep = (await api.unprotectDevice({ deviceId, action: 'prepare', auth: DEMO_TOKEN })).body;
    const serverNonce = Buffer.from(prep.server_nonce, 'base64');
    assert.equal(serverNonce.length, 32);
    const deviceNonce = crypto.randomBytes(16);
    const signature = crypto.sign('sha256', Buffer.concat([serverNonce, deviceNonce]), privateKey);
    const fingerprint = crypto.createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest();
    const confirm = (args) => api.unprotectDevice({
        deviceId, product: PRODUCT_ID, action: 'confirm', serverNonce: prep.server_nonce,
        deviceNonce: deviceNonce.toString('base64'), deviceSignature: signature.toString('base64'),
        devicePublicKeyFingerprint: fingerprint.toString('base64'), auth: DEMO_TOKEN, ...args,
    });
    await rejectsWith(confirm({ deviceSignature: deviceNonce.toString('base64') }), 400);
    const done = (await confirm({})).body;
    const serverSignature = Buffer.from(done.server_signature, 'base64');
    assert.ok(serverSignature.length > 0);
    assert.equal(Buffer.from(done.server_public_key_fingerprint, 'base64').length, 32);
    assert.deepEqual((await device()).device_protection, { status: 'service_mode' });
    await rejectsWith(confirm({}), 400); // the nonce was good once

    // leave the device unowned, as a freshly provisioned product device that nobody claimed
    await api.removeDevice({ deviceId, auth: DEMO_TOKEN });
});
