import type { Route } from './context.js';

interface Compiled {
  route: Route;
  label: string;
  parts: string[];
}

/** Tiny segment router; `:name` captures one segment. Labels ("PUT /admin/api-keys/:id") name routes in counts. */
export class Router {
  private readonly routes: Compiled[] = [];

  add(routes: Route[]): void {
    for (const r of routes) {
      this.routes.push({ route: r, label: `${r.method} ${r.pattern}`, parts: r.pattern.split('/') });
    }
  }

  match(method: string, path: string): { route: Route; label: string; params: Record<string, string> } | undefined {
    const segs = path.split('/');
    outer: for (const c of this.routes) {
      if (c.route.method !== method || c.parts.length !== segs.length) continue;
      const params: Record<string, string> = {};
      for (let i = 0; i < segs.length; i++) {
        const p = c.parts[i];
        if (p.startsWith(':')) {
          if (!segs[i]) continue outer;
          params[p.slice(1)] = decodeURIComponent(segs[i]);
        } else if (p !== segs[i]) continue outer;
      }
      return { route: c.route, label: c.label, params };
    }
    return undefined;
  }
}
