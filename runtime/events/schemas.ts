import type { ZodType } from 'zod';
import { catalog } from './catalog/index.ts';
import { compileCheck, type FastCheck } from './fast-check.ts';
import { asVersions, dataschemaOf, versionNamed, type EventSchemaInput, type PreviousVersion } from './versions.ts';

/** Why a payload was refused: every problem, as `data.path: message`. */
export class Rejection {
  constructor(readonly problems: string[]) {}
}

interface CheckedVersion {
  version: number;
  schema: ZodType;
  /** a predicate compiled from the schema (see fast-check.ts), null where zod alone decides */
  check: FastCheck | null;
}

interface KnownType {
  current: CheckedVersion;
  /** older versions, oldest first, each with its upcaster to the next */
  previous: (CheckedVersion & Pick<PreviousVersion, 'upcast'>)[];
  dataschema: string;
}

/**
 * Known event types and their payload schemas: the seed's catalog, plus what plugins contribute.
 * A type may have several versions; whatever version an event arrives in, `accept` answers with
 * the newest shape, so a handler sees one shape per type.
 */
export class SchemaRegistry {
  private readonly known = new Map<string, KnownType>();
  private current: object = {};

  constructor(initial: Record<string, EventSchemaInput> = catalog) {
    for (const [type, input] of Object.entries(initial)) this.register(type, input);
  }

  /**
   * Who vouches for an event this registry checked: a new object whenever a schema is registered,
   * so an event checked before that is checked again (memory transport, codec.ts).
   */
  get stamp(): object {
    return this.current;
  }

  register(type: string, input: EventSchemaInput): void {
    this.current = {};
    const versions = asVersions(input);
    const checked = (version: number, schema: ZodType): CheckedVersion => ({ version, schema, check: compileCheck(schema) ?? null });
    this.known.set(type, {
      current: checked(versions.version, versions.schema),
      previous: versions.previous.map((p) => ({ ...checked(p.version, p.schema), upcast: p.upcast })),
      dataschema: dataschemaOf(type, versions.version),
    });
  }

  /**
   * The payload in the type's newest shape, or a Rejection. `dataschema` (the CloudEvents
   * attribute) may name the version the payload is in; without it the newest version that accepts
   * the payload is taken. Runs on every publish and delivery: a current payload is returned as it
   * came, without reaching zod.
   */
  accept(type: string, data: unknown, dataschema?: unknown): unknown {
    const known = this.known.get(type);
    if (known === undefined) return data;
    // the runtime's own events name the newest version: a string compare, no parsing, on the hot path
    const named = dataschema === undefined ? undefined : dataschema === known.dataschema ? known.current.version : versionNamed(type, dataschema);
    if (named === undefined || named === known.current.version) {
      if (passes(known.current, data)) return data;
      if (named === undefined) {
        for (let i = known.previous.length - 1; i >= 0; i--) {
          if (passes(known.previous[i]!, data)) return this.lift(type, known, i, data);
        }
      }
      const problems = problemsOf(known.current, data);
      if (named === undefined && known.previous.length > 0) {
        problems.push(`data: matches no older version of ${type} either (${known.previous.map((p) => `v${p.version}`).join(', ')})`);
      }
      return new Rejection(problems);
    }
    const index = known.previous.findIndex((p) => p.version === named);
    if (index < 0) {
      const all = [...known.previous.map((p) => p.version), known.current.version].join(', ');
      return new Rejection([`dataschema: names version ${named} of ${type}, known versions are ${all}`]);
    }
    const older = known.previous[index]!;
    if (!passes(older, data)) return new Rejection(problemsOf(older, data).map((p) => `${p} (version ${named})`));
    return this.lift(type, known, index, data);
  }

  /** Undefined when `data` is acceptable for `type` (in any version); else every problem. */
  problemsOf(type: string, data: unknown): string[] | undefined {
    const out = this.accept(type, data);
    return out instanceof Rejection ? out.problems : undefined;
  }

  private lift(type: string, known: KnownType, from: number, data: unknown): unknown {
    let value = data;
    try {
      for (let i = from; i < known.previous.length; i++) value = known.previous[i]!.upcast(value);
    } catch (err) {
      return new Rejection([`data: upcasting ${type} from version ${known.previous[from]!.version} failed: ${(err as Error).message}`]);
    }
    if (!passes(known.current, value)) {
      return new Rejection(problemsOf(known.current, value).map((p) => `${p} (after upcasting from version ${known.previous[from]!.version})`));
    }
    return value;
  }

  has(type: string): boolean {
    return this.known.has(type);
  }

  /** The newest schema of a type. */
  get(type: string): ZodType | undefined {
    return this.known.get(type)?.current.schema;
  }

  /** The newest version number of a type. */
  versionOf(type: string): number | undefined {
    return this.known.get(type)?.current.version;
  }

  /** `dataschema` naming the newest version of a type: stamped on every event published. */
  dataschemaOf(type: string): string | undefined {
    return this.known.get(type)?.dataschema;
  }

  types(): string[] {
    return [...this.known.keys()].sort();
  }
}

function passes(version: CheckedVersion, data: unknown): boolean {
  return version.check !== null ? version.check(data) : version.schema.safeParse(data).success;
}

function problemsOf(version: CheckedVersion, data: unknown): string[] {
  const result = version.schema.safeParse(data);
  return result.success ? [] : describeIssues(result.error.issues);
}

/** `path: message` for every problem, paths like `items[0].quantity`. */
export function describeIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[], root = 'data'): string[] {
  return issues.map((issue) => {
    let path = root;
    for (const key of issue.path) path += typeof key === 'number' ? `[${key}]` : `.${String(key)}`;
    return `${path}: ${issue.message}`;
  });
}
