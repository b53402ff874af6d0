// particle-api-js 12 against particle-sim: every ledger method (createLedger, getLedger,
// updateLedger, archiveLedger, listLedgers, getLedgerInstance, setLedgerInstance with Replace
// and Merge, deleteLedgerInstance, listLedgerInstances, listLedgerInstanceVersions,
// getLedgerInstanceVersion), in the sandbox and in an organization (reference/cloud-api.md
// §13 "Ledger", particle-api-js.md §2.9), with the documented shapes and errors. Run by
// run.sh, which starts the simulator and sets PARTICLE_SIM_URL; ledger names start with
// "js-" so other files sharing the simulator are not disturbed.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const Particle = require('particle-api-js');

const api = new Particle({ baseUrl: process.env.PARTICLE_SIM_URL });
const auth = '0123456789abcdef0123456789abcdef01234567'; // demo@example.com
const OTHER = 'fedcba9876543210fedcba9876543210fedcba98'; // other@example.com: not in acme
const ORG = 'acme';

async function rejectsWith(promise, status) {
    await assert.rejects(promise, (err) => {
        assert.equal(err.statusCode, status);
        assert.equal(typeof err.body.error, 'string');
        return true;
    });
}

// Moves the simulator's clock (control API), so that two sets get different replaced_at.
async function advance(ms) {
    const res = await fetch(`${process.env.PARTICLE_SIM_URL}/sim/clock/advance`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${auth}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ ms }),
    });
    assert.equal(res.status, 200);
}

function assertDefinition(ledger, name, scope, direction) {
    assert.equal(ledger.name, name);
    assert.equal(ledger.scope, scope);
    assert.equal(ledger.direction, direction);
    assert.equal(typeof ledger.description, 'string');
    assert.ok(Date.parse(ledger.created_at));
    assert.ok(Date.parse(ledger.updated_at));
}

test('ledger definitions in the sandbox: create, get, update, list, archive', async () => {
    const created = await api.createLedger({
        auth, ledger: { name: 'js-owner', scope: 'Owner', direction: 'Downstream', description: 'd' },
    });
    assert.equal(created.statusCode, 201);
    assertDefinition(created.body.ledger, 'js-owner', 'Owner', 'Downstream');
    assert.equal(created.body.ledger.archived_at, null);
    await rejectsWith(api.createLedger({
        auth, ledger: { name: 'js-owner', scope: 'Owner', direction: 'Downstream' },
    }), 409);
    await rejectsWith(api.createLedger({ auth, ledger: { name: 'JS bad', scope: 'Owner' } }), 400);

    const got = (await api.getLedger({ auth, ledgerName: 'js-owner' })).body.ledger;
    assertDefinition(got, 'js-owner', 'Owner', 'Downstream');
    await rejectsWith(api.getLedger({ auth, ledgerName: 'js-none' }), 404);

    const updated = await api.updateLedger({
        auth, ledgerName: 'js-owner', ledger: { description: 'changed' },
    });
    assert.equal(updated.body.ledger.description, 'changed');

    const list = (await api.listLedgers({ auth, scope: 'Owner', page: 1, perPage: 50 })).body;
    assert.ok(Array.isArray(list.ledger_definitions));
    assert.ok(list.ledger_definitions.some((l) => l.name === 'js-owner'));
    assert.equal(list.meta.page, 1);
    assert.equal(list.meta.per_page, 50);

    await api.createLedger({
        auth, ledger: { name: 'js-old', scope: 'Owner', direction: 'Upstream' },
    });
    const archived = await api.archiveLedger({ auth, ledgerName: 'js-old' });
    assert.ok(archived.statusCode >= 200 && archived.statusCode < 300);
    const live = (await api.listLedgers({ auth })).body.ledger_definitions;
    assert.ok(!live.some((l) => l.name === 'js-old'));
    const old = (await api.listLedgers({ auth, archived: true })).body.ledger_definitions;
    const gone = old.find((l) => l.name === 'js-old');
    assert.ok(gone && Date.parse(gone.archived_at));
});

test('ledger instances and versions in the sandbox', async () => {
    const ledgerName = 'js-owner';
    const scopeValue = 'demo@example.com';
    const first = await api.setLedgerInstance({
        auth, ledgerName, scopeValue, instance: { data: { a: 1, b: 2 } },
    });
    const inst = first.body.instance;
    assert.equal(inst.name, ledgerName);
    assert.deepEqual(inst.scope, { type: 'Owner', value: scopeValue });
    assert.equal(inst.size_bytes, JSON.stringify({ a: 1, b: 2 }).length);
    assert.deepEqual(inst.data, { a: 1, b: 2 });

    const merged = await api.setLedgerInstance({
        auth, ledgerName, scopeValue, instance: { data: { b: 3 } }, setMode: 'Merge',
    });
    assert.deepEqual(merged.body.instance.data, { a: 1, b: 3 });
    await advance(1000);
    const replaced = await api.setLedgerInstance({
        auth, ledgerName, scopeValue, instance: { data: { z: true } }, setMode: 'Replace',
    });
    assert.deepEqual(replaced.body.instance.data, { z: true });
    await rejectsWith(api.setLedgerInstance({
        auth, ledgerName, scopeValue, instance: { data: { k: 'x'.repeat(17000) } },
    }), 413);
    await rejectsWith(api.setLedgerInstance({
        auth, ledgerName, scopeValue: 'someone@example.com', instance: { data: {} },
    }), 403);

    const got = (await api.getLedgerInstance({ auth, ledgerName, scopeValue })).body.instance;
    assert.deepEqual(got.data, { z: true });
    assert.ok(Date.parse(got.updated_at));

    const list = (await api.listLedgerInstances({ auth, ledgerName, page: 1, perPage: 10 })).body;
    assert.equal(list.instances.length, 1);
    assert.equal(list.instances[0].scope.value, scopeValue);
    assert.equal(list.meta.total, 1);

    const versions = (await api.listLedgerInstanceVersions({ auth, ledgerName, scopeValue })).body;
    assert.equal(versions.versions.length, 2);
    assert.equal(versions.meta.has_more, false);
    const [newest, oldest] = versions.versions;
    assert.deepEqual(newest.data, { a: 1, b: 3 });
    assert.ok(Date.parse(newest.replaced_at));
    const before = (await api.listLedgerInstanceVersions({
        auth, ledgerName, scopeValue, replacedBefore: newest.replaced_at,
    })).body.versions;
    assert.deepEqual(before.map((v) => v.version), [oldest.version]);
    const after = (await api.listLedgerInstanceVersions({
        auth, ledgerName, scopeValue, replacedAfter: newest.replaced_at,
    })).body.versions;
    assert.equal(after.length, 0);

    const version = (await api.getLedgerInstanceVersion({
        auth, ledgerName, scopeValue, version: oldest.version,
    })).body.instance;
    assert.deepEqual(version.data, { a: 1, b: 2 });
    assert.equal(version.version, oldest.version);
    await rejectsWith(api.getLedgerInstanceVersion({
        auth, ledgerName, scopeValue, version: '999',
    }), 404);

    const deleted = await api.deleteLedgerInstance({ auth, ledgerName, scopeValue });
    assert.ok(deleted.statusCode >= 200 && deleted.statusCode < 300);
    await rejectsWith(api.getLedgerInstance({ auth, ledgerName, scopeValue }), 404);
});

test('organization ledgers: every method with org, and who may call', async () => {
    const org = ORG;
    const created = await api.createLedger({
        auth, org, ledger: { name: 'js-fleet', scope: 'Product', direction: 'Downstream' },
    });
    assertDefinition(created.body.ledger, 'js-fleet', 'Product', 'Downstream');
    assert.equal((await api.getLedger({ auth, org, ledgerName: 'js-fleet' })).body.ledger.name,
        'js-fleet');
    await api.updateLedger({ auth, org, ledgerName: 'js-fleet', ledger: { description: 'o' } });
    const defs = (await api.listLedgers({ auth, org, scope: 'Product' })).body.ledger_definitions;
    assert.ok(defs.some((l) => l.name === 'js-fleet'));

    const ledgerName = 'js-fleet';
    const set = await api.setLedgerInstance({
        auth, org, ledgerName, scopeValue: 'asset-tracker', instance: { data: { v: 1 } },
    });
    assert.deepEqual(set.body.instance.scope, { type: 'Product', value: '10001' });
    await api.setLedgerInstance({
        auth, org, ledgerName, scopeValue: '10001', instance: { data: { v: 2 } }, setMode: 'Merge',
    });
    const got = await api.getLedgerInstance({ auth, org, ledgerName, scopeValue: '10001' });
    assert.deepEqual(got.body.instance.data, { v: 2 });
    const list = await api.listLedgerInstances({ auth, org, ledgerName });
    assert.equal(list.body.instances.length, 1);
    const versions = await api.listLedgerInstanceVersions({
        auth, org, ledgerName, scopeValue: '10001',
    });
    assert.equal(versions.body.versions.length, 1);
    const version = await api.getLedgerInstanceVersion({
        auth, org, ledgerName, scopeValue: '10001', version: versions.body.versions[0].version,
    });
    assert.deepEqual(version.body.instance.data, { v: 1 });

    await rejectsWith(api.listLedgers({ auth: OTHER, org }), 403);
    await rejectsWith(api.setLedgerInstance({
        auth: OTHER, org, ledgerName, scopeValue: '10001', instance: { data: {} },
    }), 403);
    await rejectsWith(api.listLedgers({ auth, org: 'no-such-org' }), 404);

    await api.deleteLedgerInstance({ auth, org, ledgerName, scopeValue: '10001' });
    await api.archiveLedger({ auth, org, ledgerName });
    await rejectsWith(api.setLedgerInstance({
        auth, org, ledgerName, scopeValue: '10001', instance: { data: {} },
    }), 400);
});
