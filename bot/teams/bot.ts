/**
 * The Teams bot: remembers each agent's chat when the app is installed, answers card actions
 * (Accept, Decline, End, Transfer, Reply), answers its own commands (`help`, `sessions`,
 * `switch #tag`, `end`), and carries anything else an agent types to their current session: the
 * one whose card they last answered from (or chose with `switch`), else the one accepted last.
 * With several open sessions it says which one got the message. It only translates: every
 * decision is in the services it calls.
 */
import {
  CardFactory,
  MessageFactory,
  TeamsActivityHandler,
  TurnContext,
  type AdaptiveCardInvokeResponse,
  type AdaptiveCardInvokeValue,
  type Activity,
} from 'botbuilder';
import type { AgentSession } from '@stratus/shared/contract/api';
import type { AgentPrincipal } from '../agents/agent-auth';
import { AppError } from '../errors';
import {
  acceptSession,
  agentTyping,
  declineSession,
  endSession,
  listSessions,
  postAgentMessage,
  transferSession,
} from '../agents/agent-actions';
import { TypingThrottle } from '../agents/typing-throttle';
import type { Runtime } from '../runtime/runtime';
import { botCurrentTaskId, connectedSessions, removeBotInstallation, saveBotInstallation, setBotCurrentTask } from '../store/teams';
import { errorMessage } from '../util/log';
import type { SendBudget } from './budget';
import { offerClosedCard, sessionTag, type Card, welcomeCard } from './cards';
import {
  helpCard,
  nowWritingToCard,
  parseCommand,
  sentToCard,
  sessionsCard,
  unknownTagCard,
  type BotCommand,
  type OpenChat,
} from './commands';
import type { InstalledAgents } from './relay-queue';

/** The configured user behind a Teams activity, or undefined when the tenant or user is not configured. */
export function principalOf(rt: Runtime, activity: TurnContext['activity']): AgentPrincipal | undefined {
  const entraTenant = activity.conversation?.tenantId ?? (activity.channelData as { tenant?: { id?: string } } | undefined)?.tenant?.id;
  const objectId = activity.from?.aadObjectId;
  if (!entraTenant || !objectId) return undefined;
  const found = rt.tenants.entraUser(entraTenant.toLowerCase(), objectId.toLowerCase());
  return found && { tenantId: found.tenant.id, userId: found.user.id, upn: found.user.upn };
}

export class StratusBot extends TeamsActivityHandler {
  constructor(
    private readonly rt: Runtime,
    private readonly tabUrl: string | undefined,
    private readonly installed: InstalledAgents,
    private readonly budget: SendBudget,
  ) {
    super();
    this.onInstallationUpdateAdd(async (ctx, next) => {
      await this.install(ctx);
      await next();
    });
    this.onInstallationUpdateRemove(async (ctx, next) => {
      await this.uninstall(ctx);
      await next();
    });
    this.onMembersAdded(async (ctx, next) => {
      if ((ctx.activity.membersAdded ?? []).some((m) => m.id === ctx.activity.recipient.id)) await this.install(ctx);
      await next();
    });
    this.onMessage(async (ctx, next) => {
      await this.fromAgent(ctx);
      await next();
    });
    this.onTyping(async (ctx, next) => {
      await this.typingFromAgent(ctx);
      await next();
    });
  }

  /** When the agent's typing in Teams last went to a customer (per agent: Teams says nothing of the session). */
  private readonly typing = new TypingThrottle(() => this.rt.clock.now());

  /**
   * The agent is typing in the bot chat: the customer of the chat their typing would go to hears it
   * (as from the tab), at most every 2 s per agent. Best effort: a failure is only logged.
   */
  private async typingFromAgent(ctx: TurnContext): Promise<void> {
    const p = principalOf(this.rt, ctx.activity);
    if (!p || !this.typing.take(`${p.tenantId}/${p.userId}`)) return;
    try {
      const { current } = await this.openChats(p);
      if (current) await agentTyping(this.rt, p, current.id);
    } catch (e) {
      this.rt.log.debug('typing from Teams not passed on', { error: errorMessage(e) });
    }
  }

  private async install(ctx: TurnContext): Promise<void> {
    const p = principalOf(this.rt, ctx.activity);
    if (!p) {
      await ctx.sendActivity('Stratus does not know you yet: ask your admin to add you to a service.');
      return;
    }
    const reference = TurnContext.getConversationReference(ctx.activity);
    const now = this.rt.clock.now();
    await saveBotInstallation(this.rt.store.db, p.tenantId, p.userId, reference, now);
    this.installed.forget(p.tenantId);
    const user = this.rt.tenants.user(p.tenantId, p.userId);
    await ctx.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(welcomeCard(user?.displayName ?? p.upn, this.tabUrl))));
  }

  private async uninstall(ctx: TurnContext): Promise<void> {
    const p = principalOf(this.rt, ctx.activity);
    if (!p) return;
    await removeBotInstallation(this.rt.store.db, p.tenantId, p.userId);
    this.installed.forget(p.tenantId);
  }

  /**
   * The agent's open sessions and the one their typing goes to: the one they last answered from or
   * switched to while it is open, else the one accepted last.
   */
  private async openChats(p: AgentPrincipal): Promise<{ open: OpenChat[]; current: OpenChat | undefined; stored: string | undefined }> {
    const [stored, open] = await Promise.all([
      botCurrentTaskId(this.rt.store.db, p.tenantId, p.userId),
      connectedSessions(this.rt.store.db, p.tenantId, p.userId),
    ]);
    return { open, current: open.find((s) => s.id === stored) ?? open[0], stored };
  }

  private async setCurrent(p: AgentPrincipal, taskId: string): Promise<void> {
    await setBotCurrentTask(this.rt.store.db, p.tenantId, p.userId, taskId);
  }

  /**
   * Answers in the agent's chat (a reply to their turn), counted in the chat's send budget. An
   * answer the agent asked for (a command, an error) always goes; an `optional` one (the "Sent to"
   * confirmation) is skipped unless a real message would still fit right after it: the customer's
   * relayed messages need the budget more.
   */
  private async reply(ctx: TurnContext, p: AgentPrincipal, what: Card | string, optional = false): Promise<void> {
    const chatKey = `${p.tenantId}/${p.userId}`;
    const now = this.rt.clock.now();
    if (optional && (this.budget.wait(p.tenantId, chatKey, now) > 0 || this.budget.room(chatKey, now) < 2)) return;
    this.budget.record(p.tenantId, chatKey, now);
    const activity: Partial<Activity> =
      typeof what === 'string' ? MessageFactory.text(what) : MessageFactory.attachment(CardFactory.adaptiveCard(what));
    await ctx.sendActivity(activity);
  }

  /** The bot's commands are answered here; anything else the agent types goes to their current session. */
  private async fromAgent(ctx: TurnContext): Promise<void> {
    const p = principalOf(this.rt, ctx.activity);
    const text = (ctx.activity.text ?? '').trim();
    if (!p || !text) return;
    const command = parseCommand(text);
    if (command) {
      await this.answer(ctx, p, command);
      return;
    }
    const { open, current, stored } = await this.openChats(p);
    if (!current) {
      await this.reply(ctx, p, 'You have no open chat right now. Accept an offer first; My Sessions shows them all.');
      return;
    }
    try {
      await postAgentMessage(this.rt, p, current.id, { text, clientMessageId: `teams:${ctx.activity.id ?? ''}` });
    } catch (e) {
      await this.reply(ctx, p, e instanceof AppError ? e.message : 'Your message was not sent. Please try again.');
      return;
    }
    // Keep the choice: another accept must not move the agent's next line elsewhere unasked.
    if (stored !== current.id) await this.setCurrent(p, current.id);
    if (open.length > 1) await this.reply(ctx, p, sentToCard(current), true);
  }

  /** Answers one of the bot's commands in the agent's chat; never relayed to a customer. */
  private async answer(ctx: TurnContext, p: AgentPrincipal, command: BotCommand): Promise<void> {
    switch (command.kind) {
      case 'help':
        return this.reply(ctx, p, helpCard());
      case 'sessions': {
        const { current } = await this.openChats(p);
        return this.reply(ctx, p, sessionsCard(await listSessions(this.rt, p), current?.id));
      }
      case 'switch': {
        const { open } = await this.openChats(p);
        const tag = command.tag?.toLowerCase();
        const found = tag === undefined ? [] : open.filter((s) => sessionTag(s.id).toLowerCase() === `#${tag}`);
        // Two open chats sharing a tag (5 hex digits): the card's reply box tells them apart.
        if (found.length > 1) return this.reply(ctx, p, `Several of your chats have #${tag}: answer from the chat's card instead.`);
        if (found.length === 0) return this.reply(ctx, p, unknownTagCard(command.tag, open));
        await this.setCurrent(p, found[0]!.id);
        return this.reply(ctx, p, nowWritingToCard(found[0]!));
      }
      case 'end': {
        const { open, current } = await this.openChats(p);
        if (!current) return this.reply(ctx, p, 'You have no open chat to end.');
        try {
          await endSession(this.rt, p, current.id);
        } catch (e) {
          return this.reply(ctx, p, e instanceof AppError ? e.message : 'The chat was not ended. Please try again.');
        }
        // The relay's notice says the chat ended; with others open, say where typing goes now.
        const next = open.find((s) => s.id !== current.id);
        if (next) {
          await this.setCurrent(p, next.id);
          await this.reply(ctx, p, nowWritingToCard(next));
        }
        return;
      }
    }
  }

  /** Universal Actions: answered at once with the card to show. */
  protected override async onAdaptiveCardInvoke(ctx: TurnContext, invoke: AdaptiveCardInvokeValue): Promise<AdaptiveCardInvokeResponse> {
    const p = principalOf(this.rt, ctx.activity);
    if (!p)
      return {
        statusCode: 403,
        type: 'application/vnd.microsoft.error',
        value: { code: 'forbidden', message: 'Stratus does not know you.' } as never,
      };
    const verb = invoke.action.verb;
    const data = (invoke.action.data ?? {}) as { taskId?: string; reply?: string; serviceId?: string };
    const taskId = String(data.taskId ?? '');
    const now = this.rt.clock.now();
    const cardOf = (c: Card): AdaptiveCardInvokeResponse => ({
      statusCode: 200,
      type: 'application/vnd.microsoft.card.adaptive',
      value: c as never,
    });
    const message = (text: string): AdaptiveCardInvokeResponse => ({
      statusCode: 200,
      type: 'application/vnd.microsoft.activity.message',
      value: text as never,
    });
    try {
      let s: AgentSession;
      switch (verb) {
        case 'accept':
          s = await acceptSession(this.rt, p, taskId);
          await this.setCurrent(p, taskId);
          return cardOf(offerClosedCard(s, 'acceptedByYou', now));
        case 'decline':
          s = await declineSession(this.rt, p, taskId);
          return cardOf(offerClosedCard(s, 'declined', now));
        case 'end':
          await endSession(this.rt, p, taskId);
          return message('The chat has ended.');
        case 'transfer':
          await transferSession(this.rt, p, taskId, String(data.serviceId ?? ''));
          return message('The chat was transferred.');
        case 'reply': {
          const text = String(data.reply ?? '').trim();
          if (!text) return message('Write something to send.');
          await postAgentMessage(this.rt, p, taskId, { text, clientMessageId: `teams:${ctx.activity.id ?? ''}` });
          await this.setCurrent(p, taskId);
          return message('Sent.');
        }
        default:
          return message('This action is not known.');
      }
    } catch (e) {
      if (e instanceof AppError) {
        // The offer is gone (taken, expired): say so on the card.
        if (verb === 'accept' || verb === 'decline') {
          const sessions = await listSessions(this.rt, p).catch(() => []);
          const s = sessions.find((x) => x.id === taskId);
          if (s)
            return cardOf(offerClosedCard(s, (s as { offerClosed?: string }).offerClosed === 'expired' ? 'expired' : 'takenByOther', now));
        }
        return message(e.message);
      }
      this.rt.log.error('card action failed', { verb, error: errorMessage(e) });
      return message('That did not work. Please try again.');
    }
  }
}
