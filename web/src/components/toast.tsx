import { createContext, type ReactNode, useCallback, useContext, useState } from 'react';

interface Toast {
  id: number;
  text: string;
  kind: 'ok' | 'error';
}

const Ctx = createContext<(text: string, kind?: Toast['kind']) => void>(() => {});

let seq = 0;

/** Short confirmations of an action ("Key disabled"), announced politely to screen readers. */
export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const push = useCallback((text: string, kind: Toast['kind'] = 'ok') => {
    const id = ++seq;
    setToasts((ts) => [...ts.slice(-2), { id, text, kind }]);
    setTimeout(() => setToasts((ts) => ts.filter((x) => x.id !== id)), 4000);
  }, []);
  return (
    <Ctx.Provider value={push}>
      {children}
      <output className="toasts" aria-live="polite">
        {toasts.map((x) => (
          <div key={x.id} className={`toast toast-${x.kind}`}>
            {x.text}
          </div>
        ))}
      </output>
    </Ctx.Provider>
  );
}

export const useToast = () => useContext(Ctx);
