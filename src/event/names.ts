// The standard-name table (each platform README under src/platforms/ gives its names). One row per canonical name; a
// platform column of `null` means the platform has no such event (the event is not sent there).
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

export const PLATFORM_NAMES = ['meta', 'tiktok', 'pinterest', 'google', 'klaviyo', 'ga4', 'snapchat', 'microsoft', 'reddit'] as const;
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
    // TikTok renamed CompletePayment to Purchase (and SubmitForm to Lead) on 2025-05-01:
    // ads.tiktok.com/help/article/how-to-adopt-tiktoks-updated-standard-events
    purchase: 'Purchase',
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
  // Snapchat Conversions API v3 event_name enum (https://developers.snap.com/api/marketing-api/Conversions-API/Parameters).
  // Snap has no lead event; custom names are not sent (its only custom names are CUSTOM_EVENT_1..5).
  snapchat: {
    purchase: 'PURCHASE',
    add_to_cart: 'ADD_CART',
    initiate_checkout: 'START_CHECKOUT',
    add_payment_info: 'ADD_BILLING',
    view_content: 'VIEW_CONTENT',
    page_view: 'PAGE_VIEW',
    search: 'SEARCH',
    lead: null,
    complete_registration: 'SIGN_UP',
    subscribe: 'SUBSCRIBE',
    start_trial: 'START_TRIAL',
    add_to_wishlist: 'ADD_TO_WISHLIST',
  },
  // Microsoft UET: page views are eventType "pageLoad"; everything else is eventType "custom" with UET's event
  // names (https://learn.microsoft.com/en-us/advertising/guides/uet-conversion-api-integration).
  microsoft: {
    purchase: 'purchase',
    add_to_cart: 'add_to_cart',
    initiate_checkout: 'begin_checkout',
    add_payment_info: 'add_payment_info',
    view_content: 'view_item',
    page_view: 'pageLoad',
    search: 'search',
    lead: 'generate_lead',
    complete_registration: 'sign_up',
    subscribe: 'subscribe',
    start_trial: 'start_trial',
    add_to_wishlist: 'add_to_wishlist',
  },
  // Reddit Conversions API v3 `type.tracking_type` (https://ads-api.reddit.com/docs/v3/); the rest go as CUSTOM.
  reddit: {
    purchase: 'PURCHASE',
    add_to_cart: 'ADD_TO_CART',
    initiate_checkout: 'CUSTOM',
    add_payment_info: 'CUSTOM',
    view_content: 'VIEW_CONTENT',
    page_view: 'PAGE_VISIT',
    search: 'SEARCH',
    lead: 'LEAD',
    complete_registration: 'SIGN_UP',
    subscribe: 'CUSTOM',
    start_trial: 'CUSTOM',
    add_to_wishlist: 'ADD_TO_WISHLIST',
  },
};

export function isStandardEventName(name: string): name is StandardEventName {
  return (STANDARD_EVENT_NAMES as readonly string[]).includes(name);
}
