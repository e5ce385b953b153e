import { runInNewContext } from 'node:vm';
import { expect } from 'vitest';

// A stand-in of Shopify's custom-pixel sandbox (analytics / browser / init / api.customerPrivacy) to run the served
// pixel in a fresh VM context; its requests are collected for the test to forward to a real gateway's /collect.

export interface PixelRun {
  emit(name: string, event: Record<string, unknown>): Promise<void>;
  consent(privacy: Record<string, boolean>): void;
  posts: { url: string; body: any }[];
}

/** Runs the served pixel in a fresh VM context with Shopify's custom-pixel globals. */
export function runPixel(source: string, opts: { cookies: Record<string, string>; privacy: Record<string, boolean>; cartId?: string }): PixelRun {
  const handlers = new Map<string, (e: unknown) => Promise<unknown> | undefined>();
  let consentHandler: ((e: unknown) => void) | undefined;
  const posts: { url: string; body: any }[] = [];
  runInNewContext(source, {
    analytics: { subscribe: (name: string, fn: (e: unknown) => Promise<unknown>) => void handlers.set(name, fn) },
    browser: { cookie: { get: async (name: string) => opts.cookies[name] ?? '' } },
    init: { customerPrivacy: opts.privacy, data: opts.cartId ? { cart: { id: opts.cartId } } : {} },
    api: { customerPrivacy: { subscribe: (_name: string, fn: (e: unknown) => void) => void (consentHandler = fn) } },
    fetch: async (url: string, init: { body: string; headers: Record<string, string> }) => {
      expect(init.headers['Content-Type']).toBe('text/plain');
      posts.push({ url, body: JSON.parse(init.body) });
      return { ok: true };
    },
    URLSearchParams,
    Promise,
    Date,
    Object,
    JSON,
    String,
    Number,
    isFinite,
  });
  return {
    posts,
    emit: async (name, event) => {
      const handler = handlers.get(name);
      if (!handler) throw new Error(`pixel did not subscribe to ${name}`);
      await handler(event);
    },
    consent: (privacy) => consentHandler?.({ customerPrivacy: privacy }),
  };
}

