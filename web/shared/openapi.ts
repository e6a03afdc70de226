/**
 * The server's API as the pages type it: what a route takes and answers, read from the types
 * openapi-typescript generates from the server's OpenAPI document (build/openapi.d.ts, written by
 * scripts/openapi.ts before every type check and build). The pages' API types (web/<page>/src/api)
 * are aliases of these, so a response schema changed on the server fails the type check of every
 * page that reads what changed.
 *
 * The server's schemas are inline (TypeBox, no shared components), so a type is named by the
 * route that answers it: `ResponseOf<'/api/v1/admin/comments/{id}', 'get'>`.
 */
import type { paths } from '../../build/openapi.js';

export type ApiPath = keyof paths;
type HttpMethod = 'get' | 'put' | 'post' | 'delete' | 'patch';
/** The methods a path answers. */
export type MethodOf<Path extends ApiPath> = {
  [Method in HttpMethod]: paths[Path][Method] extends undefined ? never : Method;
}[HttpMethod];
type Operation<Path extends ApiPath, Method extends MethodOf<Path>> = NonNullable<
  paths[Path][Method]
>;
type JsonOf<Message> = Message extends {
  readonly content: { readonly 'application/json': infer Json };
}
  ? Json
  : never;
type Responses<Path extends ApiPath, Method extends MethodOf<Path>> =
  Operation<Path, Method> extends { readonly responses: infer Answers } ? Answers : never;
/** The statuses of a route's successful answers. */
type SuccessStatus<Answers> = Extract<keyof Answers, 200 | 201 | 202>;

/** The JSON a route answers on success (its only 2xx answer, or `status`'s). */
export type ResponseOf<
  Path extends ApiPath,
  Method extends MethodOf<Path>,
  Status extends SuccessStatus<Responses<Path, Method>> = SuccessStatus<Responses<Path, Method>>,
> = JsonOf<Responses<Path, Method>[Status]>;

/** The JSON body a route takes. */
export type BodyOf<Path extends ApiPath, Method extends MethodOf<Path>> = JsonOf<
  NonNullable<Operation<Path, Method>['requestBody']>
>;

/** The query string a route takes, as an object. */
export type QueryOf<Path extends ApiPath, Method extends MethodOf<Path>> = NonNullable<
  Operation<Path, Method>['parameters']['query']
>;

/**
 * A list of every word of a union the document spells (a field's states, say), for a page that
 * offers them all: a word missing from the list, or one the server does not know, fails the type
 * check. Mark each call `@__PURE__` (in a comment before it), so that a bundle which does not
 * use the list leaves it out.
 */
export const everyWordOf =
  <Word extends string>() =>
  <const List extends readonly Word[]>(
    list: List &
      ([Exclude<Word, List[number]>] extends [never]
        ? unknown
        : { readonly missing: Exclude<Word, List[number]> }),
  ): List =>
    list;
