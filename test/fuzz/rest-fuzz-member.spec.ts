import { fuzzRest } from './rest-fuzz';

fuzzRest('member');
