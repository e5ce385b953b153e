// The standard-name table of shared/DESIGN.md ("Event names"). One row per canonical name; a platform column
// of `null` means the platform has no such event (the event is not sent there).
export const STANDARD_EVENT_NAMES = [
  'purchase',
  'add_to_cart',
  'initiate_checkout',
  'add_payment_info',
  'view_content',
  'page_view',
  'search',
  'lead',
  'complete_registration',
  'subscribe',
  'start_trial',
  'add_to_wishlist',
] as const;

export type StandardEventName = (typeof STANDARD_EVENT_NAMES)[number];

export const PLATFORM_NAMES = ['meta', 'tiktok', 'pinterest', 'google', 'klaviyo', 'ga4'] as const;
export type PlatformName = (typeof PLATFORM_NAMES)[number];

type NameColumn = Record<StandardEventName, string | null>;

// Google maps names through its settings, GA4 through its own table (src/platforms/ga4/names.ts).
export const EVENT_NAME_TABLE: Record<Exclude<PlatformName, 'google' | 'ga4'>, NameColumn> = {
  meta: {
    purchase: 'Purchase',
    add_to_cart: 'AddToCart',
    initiate_checkout: 'InitiateCheckout',
    add_payment_info: 'AddPaymentInfo',
    view_content: 'ViewContent',
    page_view: 'PageView',
    search: 'Search',
    lead: 'Lead',
    complete_registration: 'CompleteRegistration',
    subscribe: 'Subscribe',
    start_trial: 'StartTrial',
    add_to_wishlist: 'AddToWishlist',
  },
  tiktok: {
    purchase: 'CompletePayment',
    add_to_cart: 'AddToCart',
    initiate_checkout: 'InitiateCheckout',
    add_payment_info: 'AddPaymentInfo',
    view_content: 'ViewContent',
    page_view: 'Pageview',
    search: 'Search',
    lead: 'Lead',
    complete_registration: 'CompleteRegistration',
    subscribe: 'Subscribe',
    start_trial: 'StartTrial',
    add_to_wishlist: 'AddToWishlist',
  },
  pinterest: {
    purchase: 'checkout',
    add_to_cart: 'add_to_cart',
    initiate_checkout: 'initiate_checkout',
    add_payment_info: 'add_payment_info',
    view_content: 'view_content',
    page_view: 'page_visit',
    search: 'search',
    lead: 'lead',
    complete_registration: 'signup',
    subscribe: 'subscribe',
    start_trial: 'custom',
    add_to_wishlist: 'add_to_wishlist',
  },
  klaviyo: {
    purchase: 'Placed Order',
    add_to_cart: 'Added to Cart',
    initiate_checkout: 'Started Checkout',
    add_payment_info: null,
    view_content: 'Viewed Product',
    page_view: null,
    search: null,
    lead: null,
    complete_registration: null,
    subscribe: null,
    start_trial: null,
    add_to_wishlist: null,
  },
};

export function isStandardEventName(name: string): name is StandardEventName {
  return (STANDARD_EVENT_NAMES as readonly string[]).includes(name);
}
