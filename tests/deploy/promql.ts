import { parser } from '@prometheus-io/lezer-promql';

export interface ParsedPromql {
  /** Syntax errors with a few characters of context; empty when the expression parses. */
  errors: string[];
  /** Metric names of the vector selectors (`foo{a="b"}[5m]` → `foo`), in order of appearance. */
  metrics: string[];
}

/**
 * Parses PromQL with Prometheus's own grammar (the one its UI uses). Lezer recovers from errors by inserting
 * error nodes instead of throwing, so an expression is valid when the tree has none.
 */
export function parsePromql(expr: string): ParsedPromql {
  const errors: string[] = [];
  const metrics: string[] = [];
  parser.parse(expr).iterate({
    enter(node) {
      if (node.type.isError) {
        const at = Math.min(node.from, expr.length);
        errors.push(`syntax error at ${at}: …${expr.slice(Math.max(0, at - 20), at + 20).replace(/\s+/g, ' ')}…`);
      } else if (node.name === 'Identifier' && node.node.parent?.name === 'VectorSelector') {
        metrics.push(expr.slice(node.from, node.to));
      }
    },
  });
  return { errors, metrics };
}
