import { clientLabels, methodLabel, refusalReasonLabel, routeLabel } from './metric-labels.js';

describe('metric labels', () => {
  it('keeps the methods Fastify routes and folds any other token into other', () => {
    expect(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'].map(methodLabel)).toEqual([
      'GET',
      'HEAD',
      'POST',
      'PUT',
      'PATCH',
      'DELETE',
      'OPTIONS',
    ]);
    expect(methodLabel('PROPFIND')).toBe('other');
    expect(methodLabel('get')).toBe('other');
  });

  it('labels a request by its route template, and one that matched no route as unmatched', () => {
    expect(routeLabel('/api/v1/members/:id')).toBe('/api/v1/members/:id');
    expect(routeLabel(undefined)).toBe('unmatched');
  });

  it('keeps the OAuth error codes as refusal reasons and folds anything else into server_error', () => {
    expect(refusalReasonLabel('invalid_client')).toBe('invalid_client');
    expect(refusalReasonLabel('too_many_requests')).toBe('too_many_requests');
    expect(refusalReasonLabel('Error: connection refused at 10.0.0.1')).toBe('server_error');
  });

  it("uses an authenticated client's own IDs and unknown for anyone else", () => {
    expect(clientLabels({ clientId: 'billing-sync', organizationId: '0190f5a0-0000-7000-8000-000000000001' })).toEqual({
      client_id: 'billing-sync',
      organization_id: '0190f5a0-0000-7000-8000-000000000001',
    });
    expect(clientLabels(undefined)).toEqual({ client_id: 'unknown', organization_id: 'unknown' });
  });
});
