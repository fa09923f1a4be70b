import { describe, expect, it } from 'vitest';
import { definePlugin, pluginSourceFile } from '../../../runtime/plugins/define.ts';
import { resolveBindings } from '../../../runtime/plugins/bindings.ts';
import { loadPluginObjects } from '../../../runtime/plugins/loader.ts';
import { configSchema } from '../../../config/schema.ts';
import basics from '../../fixtures/worker-plugins/basics.ts';

describe('definePlugin notes the module that defined the plugin', () => {
  it('records the calling module as a file:// URL, out of sight of Object.keys and JSON', () => {
    expect(pluginSourceFile(basics)).toBe(new URL('../../fixtures/worker-plugins/basics.ts', import.meta.url).href);
    expect(Object.keys(basics)).toEqual(['name', 'version', 'handlers']);
    expect(JSON.stringify({ ...basics, handlers: undefined })).not.toContain('basics.ts');
  });

  it('keeps returning the very object it was given', () => {
    const def = { name: 'same', version: '1.0.0', handlers: {} };
    expect(definePlugin(def)).toBe(def);
    expect(pluginSourceFile(def)).toBe(import.meta.url);
  });

  it('leaves a frozen plugin object alone', () => {
    const def = Object.freeze({ name: 'frozen', version: '1.0.0', handlers: {} });
    expect(definePlugin(def)).toBe(def);
    expect(pluginSourceFile(def)).toBeUndefined();
  });

  it('gives the bindings of a plugin object that file, so worker threads can import it', () => {
    const { plugins } = loadPluginObjects([basics]);
    const { bindings } = resolveBindings(plugins, configSchema.parse({}));
    expect(bindings.find((b) => b.key === 'worker-basics/echo')?.pluginFile).toBe(pluginSourceFile(basics));
  });
});
