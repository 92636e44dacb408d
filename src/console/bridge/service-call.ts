/**
 * A robot service called from the web: a promise with a deadline on the node clock, so a request
 * to a node that never answers ends in a clear error instead of a hung HTTP request.
 */
import type { Client, RosNode, ServiceTypeName, ServiceTypes } from '../../ros/index.js';

/** How long a service may take to answer before the caller is told it did not. */
export const SERVICE_TIMEOUT_MS = 2000;

export class ServiceUnavailable extends Error {
  constructor(
    readonly service: string,
    readonly why: 'absent' | 'timeout',
  ) {
    super(
      why === 'absent'
        ? `the robot's ${service} service is not running`
        : `the robot's ${service} service did not answer within ${SERVICE_TIMEOUT_MS / 1000} s`,
    );
  }
}

export function callService<S extends ServiceTypeName>(
  node: RosNode,
  client: Client<S>,
  request: ServiceTypes[S]['request'],
  timeoutMs = SERVICE_TIMEOUT_MS,
): Promise<ServiceTypes[S]['response']> {
  if (!client.isServiceServerAvailable()) {
    return Promise.reject(new ServiceUnavailable(client.serviceName, 'absent'));
  }
  return new Promise((resolve, reject) => {
    let done = false;
    const deadline = node.createTimer(BigInt(timeoutMs) * 1_000_000n, () => {
      deadline.cancel();
      if (done) return;
      done = true;
      reject(new ServiceUnavailable(client.serviceName, 'timeout'));
    });
    client.sendRequest(request, (response) => {
      deadline.cancel();
      if (done) return;
      done = true;
      resolve(response);
    });
  });
}
