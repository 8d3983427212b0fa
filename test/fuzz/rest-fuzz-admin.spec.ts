import { fuzzRest } from './rest-fuzz';

fuzzRest('admin');
