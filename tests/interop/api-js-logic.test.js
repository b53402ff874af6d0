// particle-api-js 12 against particle-sim: every logic function method (createLogicFunction,
// getLogicFunction, updateLogicFunction, deleteLogicFunction, listLogicFunctions,
// listLogicRuns, getLogicRun, getLogicRunLogs, executeLogic), in the sandbox and in an
// organization (reference/particle-api-js.md §2.8), with the documented shapes. The
// simulator has no JavaScript engine: a run recorded by a trigger has status "Failure" and
// a log line saying so, and executeLogic is refused with the documented 501 (docs/SIM.md).
// Run by run.sh, which starts the simulator and sets PARTICLE_SIM_URL; names start with
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

function logicFunction(name, triggers) {
    return {
        name, description: 'made by the interop test', enabled: true,
        source: { type: 'JavaScript', code: 'export default function main() {}' },
        logic_triggers: triggers,
    };
}

function assertFunction(fn, name) {
    assert.equal(typeof fn.id, 'string');
    assert.equal(fn.name, name);
    assert.equal(typeof fn.owner_id, 'string');
    assert.equal(typeof fn.version, 'number');
    assert.equal(typeof fn.enabled, 'boolean');
    assert.equal(fn.source.type, 'JavaScript');
    assert.ok(Array.isArray(fn.logic_triggers));
    assert.ok(Date.parse(fn.created_at));
    assert.ok(Date.parse(fn.updated_at));
}

test('logic functions in the sandbox: create, get, update, list, delete', async () => {
    const created = await api.createLogicFunction({
        auth, logicFunction: logicFunction('js-first', [{ type: 'Scheduled', cron: '0 * * * *' }]),
    });
    assert.equal(created.statusCode, 201);
    const fn = created.body.logic_function;
    assertFunction(fn, 'js-first');
    assert.equal(fn.owner_id, 'user:demo@example.com');
    const trigger = fn.logic_triggers[0];
    assert.equal(trigger.type, 'Scheduled');
    assert.equal(typeof trigger.id, 'string');
    assert.equal(trigger.logic_function_id, fn.id);
    assert.ok(Date.parse(trigger.next_unscheduled_at));

    const got = (await api.getLogicFunction({ auth, logicFunctionId: fn.id })).body.logic_function;
    assertFunction(got, 'js-first');
    await rejectsWith(api.getLogicFunction({ auth, logicFunctionId: 'js-none' }), 404);

    const updated = await api.updateLogicFunction({
        auth, logicFunctionId: fn.id, logicFunction: { description: 'changed' },
    });
    assert.equal(updated.body.logic_function.description, 'changed');
    assert.equal(updated.body.logic_function.version, 2);
    await rejectsWith(api.updateLogicFunction({
        auth, logicFunctionId: fn.id, logicFunction: { logic_triggers: [{ type: 'Scheduled', cron: 'x' }] },
    }), 400);

    const listed = (await api.listLogicFunctions({ auth, todayStats: true })).body.logic_functions;
    const mine = listed.find((f) => f.id === fn.id);
    assert.ok(mine);
    assert.deepEqual(Object.keys(mine.today_stats).sort(), ['failure', 'success', 'timeout']);

    const deleted = await api.deleteLogicFunction({ auth, logicFunctionId: fn.id });
    assert.equal(deleted.statusCode, 204);
    await rejectsWith(api.deleteLogicFunction({ auth, logicFunctionId: fn.id }), 404);
    await rejectsWith(api.createLogicFunction({ auth, logicFunction: { name: 'js-x' } }), 400);
});

test('logic runs in an organization: a ledger change records a run with its log', async () => {
    const fn = (await api.createLogicFunction({
        auth, org: ORG,
        logicFunction: logicFunction('js-ledger', [{ type: 'LedgerChange', ledger_name: 'js-logic' }]),
    })).body.logic_function;
    assert.equal(fn.owner_id.startsWith('org:'), true);
    await api.createLedger({
        auth, org: ORG, ledger: { name: 'js-logic', scope: 'Owner', direction: 'Downstream' },
    });
    await api.setLedgerInstance({
        auth, org: ORG, ledgerName: 'js-logic', scopeValue: ORG, instance: { data: { a: 1 } },
    });

    const runs = (await api.listLogicRuns({ auth, org: ORG, logicFunctionId: fn.id })).body.logic_runs;
    assert.equal(runs.length, 1);
    const run = runs[0];
    assert.equal(run.logic_function_id, fn.id);
    assert.equal(run.logic_trigger_type, 'LedgerChange');
    assert.equal(run.logic_trigger_id, fn.logic_triggers[0].id);
    assert.equal(run.status, 'Failure');
    assert.ok(Date.parse(run.started_at));
    assert.ok(Date.parse(run.finished_at));
    assert.equal(typeof run.log_filename, 'string');

    const one = (await api.getLogicRun({
        auth, org: ORG, logicFunctionId: fn.id, logicRunId: run.id,
    })).body.logic_run;
    assert.equal(one.id, run.id);
    const logs = (await api.getLogicRunLogs({
        auth, org: ORG, logicFunctionId: fn.id, logicRunId: run.id,
    })).body.logs;
    assert.equal(logs[0].level, 'Error');
    assert.ok(Date.parse(logs[0].timestamp));
    assert.match(logs[0].args[0], /no JavaScript engine/);
    await rejectsWith(api.getLogicRun({ auth, org: ORG, logicFunctionId: fn.id, logicRunId: 'js-none' }), 404);

    // the sandbox does not see it; a user outside the organization is refused
    await rejectsWith(api.listLogicRuns({ auth, logicFunctionId: fn.id }), 404);
    await rejectsWith(api.listLogicFunctions({ auth: OTHER, org: ORG }), 403);
    await api.deleteLogicFunction({ auth, org: ORG, logicFunctionId: fn.id });
    await api.archiveLedger({ auth, org: ORG, ledgerName: 'js-logic' });
});

test('executeLogic: the documented 501 of a simulator without a JavaScript engine', async () => {
    for (const org of [undefined, ORG]) {
        await assert.rejects(api.executeLogic({
            auth, org,
            logic: { event: { event_name: 'js', event_data: '1' }, source: { type: 'JavaScript', code: '' } },
        }), (err) => {
            assert.equal(err.statusCode, 501);
            assert.match(err.body.error_description, /no JavaScript engine/);
            assert.match(err.message, /no JavaScript engine/);
            return true;
        });
    }
});
