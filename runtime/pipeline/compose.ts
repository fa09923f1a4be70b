/** compose(a, b, c)(last) = a(b(c(last))): the first middleware listed runs first. */
export function compose<S>(...middleware: ((next: S) => S)[]): (last: S) => S {
  return (last) => middleware.reduceRight((next, mw) => mw(next), last);
}
