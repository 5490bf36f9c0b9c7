// Who the caller is and where the workspace's OAuth lives: SCIM Me and the unauthenticated
// /.well-known/databricks-config discovery document.
import { SANDBOX_WORKSPACE_ID } from '../context';
import type { RouteFamily } from '../routes';

export const family: RouteFamily = (ctx) => {
  const me = {
    id: '7216344186720391',
    userName: ctx.userName,
    displayName: 'Ferry Sandbox',
    active: true,
    emails: [{ type: 'work', value: ctx.userName, primary: true }],
    name: { givenName: 'Ferry', familyName: 'Sandbox' },
    groups: [{ display: 'users', type: 'direct', value: '262914224530212', $ref: 'Groups/262914224530212' }],
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', 'urn:ietf:params:scim:schemas:extension:workspace:2.0:User'],
  };
  return {
    routes: {
      'GET /.well-known/databricks-config': { public: true, handler: () => ({ oidc_endpoint: `${ctx.url}/oidc`, workspace_id: SANDBOX_WORKSPACE_ID }) },
      'GET /api/2.0/preview/scim/v2/Me': () => me,
    },
  };
};
