import { asFunction, asValue, createContainer, InjectionMode, type AwilixContainer } from 'awilix';
import { StokcerdasError, ErrorCodes } from '../errors.ts';
import type { ServiceResolver, ServiceTypes } from '../plugins/types.ts';

/**
 * The services plugins reach through `ctx.resolve(name)`: logger, clock, config, publish,
 * calendar, and whatever a plugin's setup registers. Values only: plugins own their lifecycles.
 */
export class ServiceContainer implements ServiceResolver {
  private readonly container: AwilixContainer = createContainer({ injectionMode: InjectionMode.PROXY, strict: true });

  register(name: string, value: unknown): void {
    this.container.register(name, asValue(value));
  }

  /**
   * `oldName` keeps resolving to the service now called `newName` for one release; the first
   * resolve calls `warn`, so a plugin author learns the new name from the log.
   */
  registerDeprecatedAlias(oldName: string, newName: string, warn: (message: string) => void): void {
    this.container.register(
      oldName,
      asFunction(() => {
        warn(`the service "${oldName}" is now called "${newName}"; "${oldName}" will be removed in the next release`);
        return this.resolve(newName);
      }).singleton(),
    );
  }

  has(name: string): boolean {
    return this.container.hasRegistration(name);
  }

  resolve<K extends keyof ServiceTypes>(name: K): ServiceTypes[K];
  resolve<T = unknown>(name: string): T;
  resolve(name: string): unknown {
    if (!this.container.hasRegistration(name)) {
      const known = Object.keys(this.container.registrations).sort().join(', ');
      throw new StokcerdasError(ErrorCodes.HOST_STATE, `no service named "${name}" in the container (registered: ${known})`, { name });
    }
    return this.container.resolve(name);
  }

  async dispose(): Promise<void> {
    await this.container.dispose();
  }
}
