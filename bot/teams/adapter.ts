/**
 * The Bot Framework adapter. With the bot's app id and secret configured, CloudAdapter
 * authenticates every incoming activity (issuer, audience, signature, endorsements) and signs
 * outgoing calls. Without them it neither checks nor signs, so teams/index.ts takes such
 * activities in dev mode only.
 */
import {
  ActivityTypes,
  CardFactory,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  MessageFactory,
  type Activity,
  type ConversationReference,
  type TurnContext,
} from 'botbuilder';
import type { BotSettings } from '../config';
import type { Logger } from '../util/log';
import type { TeamsPort } from './port';

/** The Bot Framework authentication for the bot's registration (empty: checks and signs nothing). */
export function createBotAuth(bot: BotSettings | undefined): ConfigurationBotFrameworkAuthentication {
  return new ConfigurationBotFrameworkAuthentication(
    bot
      ? {
          MicrosoftAppId: bot.appId,
          MicrosoftAppPassword: bot.appPassword,
          MicrosoftAppType: bot.appType,
          MicrosoftAppTenantId: bot.appTenantId ?? '',
        }
      : {},
  );
}

/**
 * Checks an incoming activity's token as the adapter will, before the adapter sees it: the
 * adapter prints a stack with console.error for every refused token, which lets anyone fill the
 * log; this answers false quietly instead. Keys are cached by botframework-connector, so the
 * adapter's own check that follows costs little.
 */
export async function isSignedForBot(
  auth: ConfigurationBotFrameworkAuthentication,
  activity: unknown,
  authorization: string,
): Promise<boolean> {
  try {
    await auth.authenticateRequest(activity as Activity, authorization);
    return true;
  } catch (e) {
    if ((e as { statusCode?: number }).statusCode === 401) return false;
    throw e;
  }
}

export function createAdapter(auth: ConfigurationBotFrameworkAuthentication, log: Logger): CloudAdapter {
  const adapter = new CloudAdapter(auth);
  adapter.onTurnError = async (context, error) => {
    log.error('bot turn failed', { error: error instanceof Error ? error.message : String(error), activityType: context.activity.type });
  };
  return adapter;
}

/**
 * The connector client's pipeline retries 5xx and 429 on its own (its `noRetryPolicy` option is
 * not wired through): take the retry phase out, so the relay decides what may be repeated.
 */
function withoutRetries(ctx: TurnContext): void {
  const cc = ctx.turnState.get((ctx.adapter as CloudAdapter).ConnectorClientKey) as
    { client?: { pipeline?: { removePolicy(o: { phase: string }): unknown } } } | undefined;
  cc?.client?.pipeline?.removePolicy({ phase: 'Retry' });
}

/**
 * Runs `fn` in a proactive turn. Errors are carried out of the turn (the adapter's onTurnError
 * would otherwise swallow them), so the relay sees 429s and 5xx and decides what to do.
 */
async function inTurn(
  adapter: CloudAdapter,
  appId: string,
  reference: Record<string, unknown>,
  fn: (ctx: TurnContext) => Promise<void>,
): Promise<void> {
  let failure: unknown;
  await adapter.continueConversationAsync(appId, reference as Partial<ConversationReference>, async (ctx) => {
    withoutRetries(ctx);
    try {
      await fn(ctx);
    } catch (e) {
      failure = e;
    }
  });
  if (failure) throw failure;
}

/** Proactive sends, updates and deletes through `continueConversationAsync`. */
export function botbuilderPort(adapter: CloudAdapter, appId: string): TeamsPort {
  return {
    async send(reference, card) {
      let id: string | undefined;
      await inTurn(adapter, appId, reference, async (ctx) => {
        const r = await ctx.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(card)));
        id = r?.id;
      });
      return id;
    },
    async update(reference, activityId, card) {
      await inTurn(adapter, appId, reference, async (ctx) => {
        await ctx.updateActivity({ ...MessageFactory.attachment(CardFactory.adaptiveCard(card)), id: activityId });
      });
    },
    async delete(reference, activityId) {
      await inTurn(adapter, appId, reference, async (ctx) => {
        await ctx.deleteActivity(activityId);
      });
    },
    async typing(reference) {
      await inTurn(adapter, appId, reference, async (ctx) => {
        await ctx.sendActivity({ type: ActivityTypes.Typing });
      });
    },
  };
}
