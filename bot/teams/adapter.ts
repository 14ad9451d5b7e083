/**
 * The Bot Framework adapter. With the bot's app id and secret configured, CloudAdapter
 * authenticates every incoming activity (issuer, audience, signature, endorsements) and signs
 * outgoing calls. Without them (local), it neither checks nor signs, and routes.ts accepts
 * activities from loopback only.
 */
import { CardFactory, CloudAdapter, ConfigurationBotFrameworkAuthentication, MessageFactory, type ConversationReference } from 'botbuilder';
import type { BotSettings } from '../config';
import type { Logger } from '../util/log';
import type { TeamsPort } from './port';

export function createAdapter(bot: BotSettings | undefined, log: Logger): CloudAdapter {
  const auth = new ConfigurationBotFrameworkAuthentication(bot
    ? { MicrosoftAppId: bot.appId, MicrosoftAppPassword: bot.appPassword, MicrosoftAppType: bot.appType, MicrosoftAppTenantId: bot.appTenantId ?? '' }
    : {});
  const adapter = new CloudAdapter(auth);
  adapter.onTurnError = async (context, error) => {
    log.error('bot turn failed', { error: error instanceof Error ? error.message : String(error), activityType: context.activity.type });
  };
  return adapter;
}

/** Proactive sends through `continueConversationAsync`. */
export function botbuilderPort(adapter: CloudAdapter, appId: string): TeamsPort {
  return {
    async send(reference, card) {
      let id: string | undefined;
      await adapter.continueConversationAsync(appId, reference as Partial<ConversationReference>, async (ctx) => {
        const r = await ctx.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(card)));
        id = r?.id;
      });
      return id;
    },
    async update(reference, activityId, card) {
      await adapter.continueConversationAsync(appId, reference as Partial<ConversationReference>, async (ctx) => {
        await ctx.updateActivity({ ...MessageFactory.attachment(CardFactory.adaptiveCard(card)), id: activityId });
      });
    },
  };
}
