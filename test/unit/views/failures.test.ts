// The shared tree kit's failure nodes: chosen by the error's type and code, never by its text.
import assert from 'node:assert/strict';
import { FerryError } from '../../../src/core/errors';
import { DatabricksConfigError, resolveConfig } from '../../../src/databricks/config';
import { DatabricksError } from '../../../src/databricks/errors';
import { describeFailure, failureGroup, FailurePolicy } from '../../../src/views/shared/failures';

const policy: FailurePolicy = {
  silent: ['notConfigured'],
  actions: {
    signIn: [{ label: 'Sign in…', command: 'ferry.databricks.signIn', icon: 'sign-in' }],
    denied: [{ label: 'Choose profile…', command: 'ferry.aws.selectProfile', icon: 'account' }],
    other: [{ label: 'Open log', command: 'ferry.showLog', icon: 'output' }],
  },
  labels: { denied: 'Access Denied' },
};

function awsError(name: string, message: string): Error {
  return Object.assign(new Error(message), { name });
}

describe('Tree failure nodes (tree kit)', () => {
  it('stays silent for "nothing configured" because the error says so by its code', () => {
    let err: unknown;
    try {
      resolveConfig({ env: {}, fileText: undefined, filePath: '/nowhere/.databrickscfg' });
    } catch (e) {
      err = e;
    }
    assert.ok(err instanceof DatabricksConfigError);
    assert.equal(err.failureCode, 'NOT_CONFIGURED');
    assert.equal(failureGroup(err), 'notConfigured');
    assert.equal(describeFailure(err, policy), undefined, 'the welcome content answers, so no nodes');
  });

  it('does not go by the message text: the same words without the code are a sign-in failure, not silence', () => {
    const lookalike = new DatabricksConfigError('No Databricks workspace is configured: profile "x" is broken', '/f');
    assert.equal(lookalike.failureCode, undefined);
    const view = describeFailure(lookalike, policy);
    assert.ok(view);
    assert.equal(view.group, 'signIn');
    assert.deepEqual(
      view.actions.map((a) => a.command),
      ['ferry.databricks.signIn'],
    );
    // And a plain Error that only mentions credentials is just an error.
    assert.equal(failureGroup(new Error('Could not load credentials from any providers')), 'other');
  });

  it('maps the AWS SDK error types: missing credentials and refused ones lead to sign-in, AccessDenied to its own label', () => {
    assert.equal(failureGroup(awsError('CredentialsProviderError', 'Could not load credentials from any providers')), 'signIn');
    assert.equal(failureGroup(awsError('ExpiredToken', 'The provided token has expired.')), 'signIn');
    const denied = describeFailure(awsError('AccessDenied', 'Access Denied'), policy, 's3:ListBucket on b1');
    assert.ok(denied);
    assert.equal(denied.label, 'Error: Access Denied (s3:ListBucket on b1)');
    assert.equal(denied.actions[0].command, 'ferry.aws.selectProfile');
  });

  it('maps Databricks statuses: 401 to sign-in, 403 to denied, a dead host to network, anything else to the log', () => {
    assert.equal(failureGroup(new DatabricksError({ errorCode: 'UNAUTHENTICATED', message: 'expired', status: 401 })), 'signIn');
    assert.equal(failureGroup(new DatabricksError({ errorCode: 'PERMISSION_DENIED', message: 'no', status: 403 })), 'denied');
    assert.equal(failureGroup(new DatabricksError({ errorCode: 'ECONNREFUSED', message: 'Nothing is listening', status: 0, kind: 'network' })), 'network');
    const other = describeFailure(new DatabricksError({ errorCode: 'INTERNAL_ERROR', message: 'boom\nstack line', status: 500 }), policy);
    assert.ok(other);
    assert.equal(other.label, 'Error: Databricks: boom', 'one line in the tree');
    assert.match(other.detail, /stack line/, 'the whole message in the tooltip');
    assert.deepEqual(
      other.actions.map((a) => a.label),
      ['Open log'],
    );
  });

  it('takes a code set by whoever raised the error over its kind', () => {
    const err = new FerryError('unknown', 'Profile x has no token', [], undefined, { failureCode: 'NO_CREDENTIALS' });
    assert.equal(failureGroup(err), 'signIn');
  });

  it('redacts secrets in the label and the tooltip', () => {
    const view = describeFailure(new Error('request failed: Authorization: Bearer dapi0123456789abcdef0123456789abcdef'), policy);
    assert.ok(view);
    assert.doesNotMatch(view.label + view.detail, /dapi0123456789abcdef/);
  });
});
