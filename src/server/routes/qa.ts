/**
 * Q&A with the newsroom (docs/qa.md): the tabs of a Q&A story's questions, readers' votes, the
 * experts' "now answering", and the moderators' switch (a story to Q&A, its experts, a site's Q&A
 * sections). Questions and answers themselves are posted as comments (POST
 * /stories/{storyId}/comments).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ParleyError } from '../../domain/errors.ts';
import { requireStory } from '../../services/comments.ts';
import { asModerator, siteInScope } from '../../services/moderation-actions.ts';
import {
  announceAnswering,
  configureStoryQa,
  MAX_EXPERTS,
  MAX_QA_SECTIONS,
  readQuestionMarks,
  readQuestions,
  setQaSections,
  voteOnQuestion,
  type QaDeps,
  type QuestionsPage,
} from '../../services/qa.ts';
import type { ViewerMarks } from '../../services/threads.ts';
import { noMarks } from '../../services/threads.ts';
import { readQaSections } from '../../store/qa.ts';
import type { Site, User } from '../../store/rows.ts';
import { addressLimit } from '../address-limit.ts';
import { requireViewer } from '../auth.ts';
import { limitPerIp, limitPerUser, sendSharedPage, type RouteContext } from '../context.ts';
import { markExpert, presentComment, presentStory } from '../presenters.ts';
import {
  Comment,
  Cursor,
  ErrorBody,
  Id,
  IdParams,
  Limit,
  SiteParams,
  Story,
  StoryParams,
} from '../schemas.ts';

const security = [{ bearer: [] }];

export const Question = Type.Object({
  ...Comment.properties,
  votes: Type.Integer({ description: 'Readers who want this answered too' }),
  answers: Type.Array(Comment, {
    description: "Published answers by the story's experts or the site's staff, oldest first",
  }),
  viewer: Type.Object({
    ...Comment.properties.viewer.properties,
    voted: Type.Boolean({ description: 'The viewer voted for this question' }),
  }),
});

const QuestionsQuery = Type.Object(
  {
    tab: Type.Optional(
      Type.Union([Type.Literal('unanswered'), Type.Literal('answered')], {
        description: 'unanswered (default): by votes, then newest; answered: newest answer first',
      }),
    ),
    cursor: Type.Optional(Cursor),
    limit: Type.Optional(Limit),
  },
  { additionalProperties: false },
);

const QuestionsResponse = Type.Object({
  story: Story,
  questions: Type.Array(Question),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});

const ExpertChoice = Type.Union([
  Id,
  Type.Object(
    { id: Id, title: Type.Optional(Type.String({ maxLength: 100 })) },
    { additionalProperties: false },
  ),
]);

const QaBody = Type.Object(
  {
    enabled: Type.Boolean({ description: 'true: the story is a Q&A; false: ordinary comments' }),
    open: Type.Optional(
      Type.Boolean({ description: 'false closes the Q&A: no new questions or votes, still read' }),
    ),
    experts: Type.Optional(
      Type.Array(ExpertChoice, {
        maxItems: MAX_EXPERTS,
        description:
          "The story's experts: user ids of the site's staff (or { id, title }); replaces the list",
      }),
    ),
  },
  { additionalProperties: false },
);

const SectionsBody = Type.Object(
  {
    sections: Type.Array(Type.String({ minLength: 1, maxLength: 100 }), {
      maxItems: MAX_QA_SECTIONS,
    }),
  },
  { additionalProperties: false },
);

const AnsweringBody = Type.Object({ questionId: Id }, { additionalProperties: false });

function presentQuestions(
  page: QuestionsPage,
  viewer: User | null,
  site: Site,
  marks: ViewerMarks,
  voted: Set<string>,
) {
  const show = (c: Parameters<typeof presentComment>[0]) =>
    presentComment(c, viewer, site.editWindowSeconds, marks);
  // The badge only for those who answer for the site now (docs/qa.md).
  const answerers = new Set(page.answerers);
  return {
    questions: page.questions.map((q) => {
      const question = show(q.comment);
      return {
        ...question,
        votes: q.votes,
        answers: q.answers.map((a) => (answerers.has(a.authorId) ? markExpert(show(a)) : show(a))),
        viewer: { ...question.viewer, voted: voted.has(q.comment.id) },
      };
    }),
    nextCursor: page.nextCursor,
  };
}

export function qaRoutes(ctx: RouteContext): FastifyPluginAsyncTypebox {
  const { store, config, sites, threads } = ctx;
  const deps: QaDeps = {
    store,
    sites,
    storyChanged: (storyId) => threads.storyChanged(storyId),
  };
  const rateLimit = limitPerUser(config.writeRateLimit);
  const preHandler = addressLimit(config.writeRateLimit * 5);
  const moderatorWrites = { rateLimit: limitPerUser(600) };

  return async (app) => {
    app.get(
      '/stories/:storyId/questions',
      {
        config: { rateLimit: limitPerIp(config.readRateLimit) },
        schema: {
          tags: ['qa'],
          summary: "A tab of a Q&A story's questions, each with its answers and votes",
          params: StoryParams,
          querystring: QuestionsQuery,
          response: {
            200: QuestionsResponse,
            304: Type.Null({ description: 'Not modified (If-None-Match matched the ETag)' }),
            '4xx': ErrorBody,
          },
        },
      },
      async (request, reply) => {
        const { storyId } = request.params;
        const tab = request.query.tab ?? 'unanswered';
        const { cursor, limit = 20 } = request.query;
        const key = `questions ${tab} ${limit} ${cursor ?? ''}`;
        let cached = threads.get(storyId, key);
        if (!cached) {
          const version = threads.version(storyId);
          const { story } = await requireStory(store, sites, storyId);
          const page = await readQuestions(store, { story, tab, cursor, limit });
          cached = threads.set(storyId, key, { kind: 'questions', story, page }, version);
        }
        const shared = cached.value;
        if (shared.kind !== 'questions')
          throw new Error(`thread cache: ${key} holds ${shared.kind}`);
        const { story, page } = shared;
        const site = await sites.get(story.siteId);
        if (!site) throw new ParleyError('STORY_NOT_FOUND', 'That story does not exist.');
        // The answer depends on who asks: shared caches keep one per Authorization, and a
        // signed-in reader's (with their marks) is theirs alone, as on the thread route.
        void reply.header('vary', 'authorization');
        const viewer = request.viewer;
        if (viewer) {
          const { marks, voted } = await readQuestionMarks(store, viewer, page);
          void reply.header('cache-control', 'private, no-cache');
          return {
            story: presentStory(story, site),
            ...presentQuestions(page, viewer, site, marks, voted),
          };
        }
        return sendSharedPage(request, reply, threads, cached, site, () => ({
          story: presentStory(story, site),
          ...presentQuestions(page, null, site, noMarks, new Set()),
        }));
      },
    );

    for (const voted of [true, false]) {
      app.route({
        method: voted ? 'PUT' : 'DELETE',
        url: '/comments/:id/vote',
        config: { rateLimit },
        preHandler,
        schema: {
          tags: ['qa'],
          summary: voted
            ? 'Vote for a question ("I want to know too")'
            : 'Take your vote for a question back',
          description:
            'Idempotent. 403 `OWN_QUESTION_VOTE` on your own question; 409 `QA_CLOSED` on a ' +
            'closed Q&A; 400 `NOT_A_QUESTION` on a reply or a comment of an ordinary story.',
          security,
          params: IdParams,
          response: {
            200: Type.Object({ votes: Type.Integer(), voted: Type.Boolean() }),
            '4xx': ErrorBody,
          },
        },
        handler: async (request) => {
          const viewer = requireViewer(request);
          return voteOnQuestion(deps, { commentId: request.params.id, viewer, voted });
        },
      });
    }

    app.post(
      '/stories/:storyId/qa/answering',
      {
        config: { rateLimit },
        schema: {
          tags: ['qa'],
          summary: 'Tell readers of the story that you are answering a question (experts)',
          description:
            'Publishes `qa.answering` on the story’s event stream (not kept or replayed). 403 ' +
            '`NOT_AN_EXPERT` unless you are one of the story’s experts or the site’s staff.',
          security,
          params: StoryParams,
          body: AnsweringBody,
          response: { 204: Type.Null(), '4xx': ErrorBody },
        },
      },
      async (request, reply) => {
        const viewer = requireViewer(request);
        await announceAnswering(deps, {
          storyId: request.params.storyId,
          questionId: request.body.questionId,
          viewer,
        });
        return reply.status(204).send(null);
      },
    );

    app.put(
      '/admin/stories/:storyId/qa',
      {
        config: moderatorWrites,
        schema: {
          tags: ['moderation'],
          summary: 'Switch a story to Q&A (or back), open or close it, and name its experts',
          description: 'Logged as `story.qa` and `story.experts` in the audit log.',
          security,
          params: StoryParams,
          body: QaBody,
          response: { 200: Type.Object({ story: Story }), '4xx': ErrorBody },
        },
      },
      async (request) => {
        const moderator = asModerator(request.viewer);
        const { enabled, open, experts } = request.body;
        const story = await configureStoryQa(deps, moderator, request.params.storyId, {
          enabled,
          open,
          experts: experts?.map((e) => (typeof e === 'string' ? { id: e } : e)),
        });
        const site = await sites.get(story.siteId);
        return { story: presentStory(story, site) };
      },
    );

    app.get(
      '/admin/sites/:siteId/qa-defaults',
      {
        config: { rateLimit: limitPerUser(1200) },
        schema: {
          tags: ['moderation'],
          summary: 'The sections whose new stories start as Q&A',
          security,
          params: SiteParams,
          response: {
            200: Type.Object({ sections: Type.Array(Type.String()) }),
            '4xx': ErrorBody,
          },
        },
      },
      async (request) => {
        const moderator = asModerator(request.viewer);
        const site = await siteInScope(sites, moderator, request.params.siteId);
        return { sections: await readQaSections(store.db, site.id) };
      },
    );

    app.put(
      '/admin/sites/:siteId/qa-defaults',
      {
        config: moderatorWrites,
        schema: {
          tags: ['moderation'],
          summary: 'Set the sections whose new stories start as Q&A (admins)',
          description:
            'A story first seen with one of these sections (the widget’s data-section, sent as ' +
            '`section` to POST /stories/resolve) starts as a Q&A. Logged as `site.qa_sections`.',
          security,
          params: SiteParams,
          body: SectionsBody,
          response: {
            200: Type.Object({ sections: Type.Array(Type.String()) }),
            '4xx': ErrorBody,
          },
        },
      },
      async (request) => {
        const moderator = asModerator(request.viewer);
        if (moderator.user.role !== 'admin') {
          throw new ParleyError('FORBIDDEN', 'Only admins may set a site’s Q&A sections.');
        }
        const sections = await setQaSections(
          deps,
          moderator.user,
          request.params.siteId,
          request.body.sections,
        );
        return { sections };
      },
    );
  };
}
