/**
 * The few words the server-rendered pages write themselves (the thread's own words are the
 * markup's): in the six interface languages.
 */
import type { InterfaceLanguage } from '../../domain/vocabulary.ts';

export interface RenderedWords {
  /** The plain page's heading; the story's title is inserted where `{title}` stands. */
  commentsOn: string;
  /** The heading when the story has no title. */
  comments: string;
  backToArticle: string;
  firstPage: string;
  moreComments: string;
  /** Under the thread in the AMP page: the full page, in a new window. */
  openFullPage: string;
}

export const RENDERED_WORDS: Record<InterfaceLanguage, RenderedWords> = {
  en: {
    commentsOn: 'Comments on {title}',
    comments: 'Comments',
    backToArticle: 'Back to the article',
    firstPage: 'First page',
    moreComments: 'More comments',
    openFullPage: 'All comments',
  },
  ar: {
    commentsOn: 'التعليقات على {title}',
    comments: 'التعليقات',
    backToArticle: 'العودة إلى المقال',
    firstPage: 'الصفحة الأولى',
    moreComments: 'مزيد من التعليقات',
    openFullPage: 'كل التعليقات',
  },
  he: {
    commentsOn: 'תגובות על {title}',
    comments: 'תגובות',
    backToArticle: 'חזרה לכתבה',
    firstPage: 'העמוד הראשון',
    moreComments: 'תגובות נוספות',
    openFullPage: 'כל התגובות',
  },
  zh: {
    commentsOn: '关于{title}的评论',
    comments: '评论',
    backToArticle: '返回文章',
    firstPage: '第一页',
    moreComments: '更多评论',
    openFullPage: '全部评论',
  },
  fr: {
    commentsOn: 'Commentaires sur {title}',
    comments: 'Commentaires',
    backToArticle: 'Retour à l’article',
    firstPage: 'Première page',
    moreComments: 'Plus de commentaires',
    openFullPage: 'Tous les commentaires',
  },
  es: {
    commentsOn: 'Comentarios sobre {title}',
    comments: 'Comentarios',
    backToArticle: 'Volver al artículo',
    firstPage: 'Primera página',
    moreComments: 'Más comentarios',
    openFullPage: 'Todos los comentarios',
  },
};
