/**
 * Nelder–Mead simplex minimisation (Lagarias et al. 1998 coefficients). Holt-Winters has three
 * smoothing parameters and a cheap, non-smooth SSE surface, so a derivative-free search is the
 * right tool; statsmodels uses L-BFGS-B with numerical gradients for the same job. Bounds are the
 * caller's business: it searches an unconstrained space and maps it onto [0, 1] (see holt-winters.ts).
 */

export interface MinimizeOptions {
  /** edge length of the initial simplex */
  step?: number;
  maxIterations?: number;
  /** stop when the spread of f over the simplex falls below this */
  tolerance?: number;
}

export interface Minimum {
  x: number[];
  fx: number;
  iterations: number;
}

export function nelderMead(f: (x: number[]) => number, start: readonly number[], options: MinimizeOptions = {}): Minimum {
  const n = start.length;
  const step = options.step ?? 0.5;
  const maxIterations = options.maxIterations ?? 200 * n;
  const tolerance = options.tolerance ?? 1e-8;
  const safe = (x: number[]) => {
    const v = f(x);
    return Number.isFinite(v) ? v : Number.POSITIVE_INFINITY;
  };

  let simplex: { x: number[]; fx: number }[] = [{ x: [...start], fx: safe([...start]) }];
  for (let i = 0; i < n; i++) {
    const x = [...start];
    x[i] += step;
    simplex.push({ x, fx: safe(x) });
  }

  let iterations = 0;
  for (; iterations < maxIterations; iterations++) {
    simplex.sort((a, b) => a.fx - b.fx);
    const best = simplex[0];
    const worst = simplex[n];
    // relative spread, so a series of large counts does not stop later than one of small counts
    if (Math.abs(worst.fx - best.fx) <= tolerance * (Math.abs(best.fx) + tolerance)) break;

    const centroid = new Array<number>(n).fill(0);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) centroid[j] += simplex[i].x[j] / n;
    const along = (t: number) => centroid.map((c, j) => c + t * (worst.x[j] - c));

    const reflected = along(-1);
    const fr = safe(reflected);
    if (fr < best.fx) {
      const expanded = along(-2);
      const fe = safe(expanded);
      simplex[n] = fe < fr ? { x: expanded, fx: fe } : { x: reflected, fx: fr };
      continue;
    }
    if (fr < simplex[n - 1].fx) {
      simplex[n] = { x: reflected, fx: fr };
      continue;
    }
    const outside = fr < worst.fx;
    const contracted = along(outside ? -0.5 : 0.5);
    const fc = safe(contracted);
    if (fc < (outside ? fr : worst.fx)) {
      simplex[n] = { x: contracted, fx: fc };
      continue;
    }
    // shrink towards the best vertex
    simplex = simplex.map((v, i) => {
      if (i === 0) return v;
      const x = v.x.map((xi, j) => best.x[j] + 0.5 * (xi - best.x[j]));
      return { x, fx: safe(x) };
    });
  }
  simplex.sort((a, b) => a.fx - b.fx);
  return { x: simplex[0].x, fx: simplex[0].fx, iterations };
}
