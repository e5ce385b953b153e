import { describe, expect, it } from 'vitest';
import { InputError } from '../../errors.js';
import { parseCollectBody } from './collect-body.js';

const seen = { ip: '203.0.113.7', userAgent: 'Mozilla/5.0 Test' };
const event = { event_name: 'purchase', event_time: 1_764_326_400, commerce: { order_id: 1001 } };

describe('parseCollectBody', () => {
  it("fills IP and user agent from the request, over the body's", () => {
    const { event: parsed, tokens } = parseCollectBody({ ...event, user: { client_ip_address: '1.1.1.1', client_user_agent: 'forged', fbp: 'fb.1.1.2' } }, seen);
    expect(parsed.event_id).toBe('order_1001');
    expect(parsed.user).toEqual({ fbp: 'fb.1.1.2', client_ip_address: '203.0.113.7', client_user_agent: 'Mozilla/5.0 Test' });
    expect(tokens).toEqual({});
  });

  it('takes the Shopify tokens off the event', () => {
    const { event: parsed, tokens } = parseCollectBody({ ...event, shopify: { checkout_token: 'ck', cart_token: 'c1' } }, seen);
    expect(tokens).toEqual({ checkout_token: 'ck', cart_token: 'c1' });
    expect(parsed).not.toHaveProperty('shopify');
  });

  it('refuses bad bodies naming the field', () => {
    const fails = (body: unknown) => {
      try {
        parseCollectBody(body, seen);
      } catch (err) {
        expect(err).toBeInstanceOf(InputError);
        return (err as InputError).path;
      }
      return 'accepted';
    };
    expect(fails([event])).toBe('');
    expect(fails({ ...event, shopify: { token: 'x' } })).toBe('shopify.token');
    expect(fails({ ...event, shopify: { checkout_token: 5 } })).toBe('shopify.checkout_token');
    expect(fails({ ...event, event_time: 'yesterday' })).toBe('event_time');
    expect(fails({ ...event, user: { fbpp: 'x' } })).toBe('user');
  });
});
