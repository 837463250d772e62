/** The channels edna Chat Center serves, and what a device address looks like in each. Kept in one place. */
export const CHANNEL_TYPES = ['WHATSAPP', 'SMS', 'VIBER', 'TELEGRAM', 'VK', 'INSTAGRAM', 'FACEBOOK', 'MOBILE', 'WEB'] as const;
export type ChannelType = (typeof CHANNEL_TYPES)[number];

interface AddressRule {
  pattern: RegExp;
  description: string;
}

/** Device addresses that are phone numbers (digits with the country code, no +). */
export const PHONE_ADDRESS: AddressRule = {
  pattern: /^\d{7,15}$/,
  description: 'a phone number in digits only, with its country code (e.g. 79001234567)',
};
const ID: AddressRule = { pattern: /^[A-Za-z0-9_.@:+-]{1,128}$/, description: 'an identifier of letters, digits and _ . @ : + -' };

export const DEVICE_ADDRESS_RULES: Record<ChannelType, AddressRule> = {
  WHATSAPP: PHONE_ADDRESS,
  SMS: PHONE_ADDRESS,
  VIBER: PHONE_ADDRESS,
  TELEGRAM: ID,
  VK: ID,
  INSTAGRAM: ID,
  FACEBOOK: ID,
  MOBILE: ID,
  WEB: ID,
};
